import { describe, expect, it } from 'vitest';
import { formatClock, formatDuration } from './words.ts';

describe('formatDuration', () => {
  it('writes durations the way lab files do, so a bound and its measurement read alike', () => {
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(7)).toBe('7ns');
    expect(formatDuration(40_000)).toBe('40us');
    expect(formatDuration(250_000_000)).toBe('250ms');
    expect(formatDuration(1_234_567)).toBe('1.235ms');
    expect(formatDuration(3_000_000_000)).toBe('3s');
    expect(formatDuration(3_200_000_000)).toBe('3.2s');
    expect(formatDuration(60_000_000_000)).toBe('1m');
    expect(formatDuration(90_500_000_000)).toBe('1m30.5s');
    expect(formatDuration(3_600_000_000_000)).toBe('1h');
    expect(formatDuration(3_723_000_000_000)).toBe('1h2m3s');
  });

  it('gives report times a fixed number of decimals for aligned columns', () => {
    expect(formatClock(12_345_678_901)).toBe('12.346s');
    expect(formatClock(0)).toBe('0.000s');
  });
});
