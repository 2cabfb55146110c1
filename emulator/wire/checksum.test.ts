import { describe, expect, it } from 'vitest';
import { checksumVerifies, internetChecksum, onesComplementSum } from './checksum.ts';

const bytes = (hex: string): Uint8Array => Uint8Array.from(hex.replace(/\s+/g, '').match(/../g) ?? [], (h) => parseInt(h, 16));

describe('Internet checksum', () => {
  it('matches the worked example of RFC 1071 §3 (sum ddf2, checksum 220d)', () => {
    const b = bytes('0001 f203 f4f5 f6f7');
    expect(onesComplementSum(b, 0, b.length)).toBe(0xddf2);
    expect(internetChecksum(b, 0, b.length)).toBe(0x220d);
  });

  it('reproduces the checksum of a well-known captured IPv4 header (b861)', () => {
    // 192.168.0.1 → 192.168.0.199, UDP, DF, TTL 64, total length 115, checksum field zeroed.
    const header = bytes('4500 0073 0000 4000 4011 0000 c0a8 0001 c0a8 00c7');
    expect(internetChecksum(header, 0, header.length)).toBe(0xb861);
    header[10] = 0xb8;
    header[11] = 0x61;
    expect(checksumVerifies(header, 0, header.length)).toBe(true);
  });

  it('pads an odd trailing byte with zero', () => {
    expect(onesComplementSum(bytes('01'), 0, 1)).toBe(0x0100);
    expect(internetChecksum(bytes('0001 02'), 0, 3)).toBe(~0x0201 & 0xffff);
  });

  it('rejects a header with a flipped bit', () => {
    const header = bytes('4500 0073 0000 4000 4011 b861 c0a8 0001 c0a8 00c7');
    header[8] ^= 0x01;
    expect(checksumVerifies(header, 0, header.length)).toBe(false);
  });
});
