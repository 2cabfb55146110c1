import { describe, expect, it } from 'vitest';
import { parseDuration, parseSpeed } from './units.ts';

describe('parseDuration', () => {
  it('reads every unit a lab file may use as integer nanoseconds', () => {
    expect(parseDuration('10s')).toBe(10_000_000_000);
    expect(parseDuration('250ms')).toBe(250_000_000);
    expect(parseDuration('12m')).toBe(720_000_000_000);
    expect(parseDuration('1h')).toBe(3_600_000_000_000);
    expect(parseDuration('40us')).toBe(40_000);
    expect(parseDuration('7ns')).toBe(7);
  });

  it('treats a bare number as seconds, written or numeric', () => {
    expect(parseDuration(3)).toBe(3_000_000_000);
    expect(parseDuration('3')).toBe(3_000_000_000);
    expect(parseDuration(0.25)).toBe(250_000_000);
  });

  it('keeps decimal fractions exact instead of rounding through binary floats', () => {
    expect(parseDuration('0.1s')).toBe(100_000_000);
    expect(parseDuration('1.5ms')).toBe(1_500_000);
    expect(parseDuration('0.3s')).toBe(300_000_000);
  });

  it('refuses what it cannot express', () => {
    expect(() => parseDuration('10 parsecs')).toThrow(/not a duration/);
    expect(() => parseDuration('-1s')).toThrow(/not a duration/);
    expect(() => parseDuration('')).toThrow(/not a duration/);
    expect(() => parseDuration('1.5ns')).toThrow(/finer than/);
    expect(() => parseDuration('999999999h')).toThrow(/too large/);
    expect(() => parseDuration(-1)).toThrow(/non-negative/);
    expect(() => parseDuration(Number.NaN)).toThrow(/finite/);
  });
});

describe('parseSpeed', () => {
  it('reads decimal multipliers as bits per second', () => {
    expect(parseSpeed('10G')).toBe(10_000_000_000);
    expect(parseSpeed('1G')).toBe(1_000_000_000);
    expect(parseSpeed('100M')).toBe(100_000_000);
    expect(parseSpeed('2.5G')).toBe(2_500_000_000);
    expect(parseSpeed('64K')).toBe(64_000);
    expect(parseSpeed(1_000_000)).toBe(1_000_000);
    expect(parseSpeed('1T')).toBe(1_000_000_000_000);
  });

  it('refuses zero, fractions of a bit and nonsense', () => {
    expect(() => parseSpeed('0G')).toThrow(/greater than zero/);
    expect(() => parseSpeed('1.5')).toThrow(/finer than/);
    expect(() => parseSpeed('fast')).toThrow(/not a speed/);
    expect(() => parseSpeed('10Gb')).toThrow(/not a speed/);
  });
});
