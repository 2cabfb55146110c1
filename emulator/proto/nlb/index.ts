/** Windows Network Load Balancing as a reusable protocol behaviour. */
export * from './addresses.ts';
export * from './port-rules.ts';
export * from './membership.ts';
export * from './driver.ts';
