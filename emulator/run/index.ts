/** Running a lab: build the network from a parsed lab file and drive it. */
export { createLabRun, createLabNetworkRun, LabNetworkRun, DEFAULT_LINK_DELAY_NS } from './lab-run.ts';
export type { ConsoleReply, LabRun, RunEvent, RunOptions, RunStatus, SimTime } from './types.ts';
