/** Simulated time is an integer count of nanoseconds; these keep unit conversions readable. */
export const NS = 1;
export const US = 1_000;
export const MS = 1_000_000;
export const SECOND = 1_000_000_000;
