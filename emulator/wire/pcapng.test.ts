import { describe, expect, it } from 'vitest';
import { LINKTYPE_ETHERNET, PcapngFormatError, readPcapng, writePcapng, type PcapngCapture } from './pcapng.ts';

function blocks(bytes: Uint8Array): { type: number; length: number }[] {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: { type: number; length: number }[] = [];
  for (let off = 0; off < bytes.length; ) {
    const length = v.getUint32(off + 4, true);
    out.push({ type: v.getUint32(off, true), length });
    expect(v.getUint32(off + length - 4, true)).toBe(length);
    off += length;
  }
  return out;
}

const sample: PcapngCapture = {
  application: 'LabBox',
  comments: ['section note', 'ünïcödé ✓ 🚀'],
  interfaces: [{ name: 'core1:Gi1/0/1', description: 'uplink' }, { name: 'esx1:vmnic0' }],
  packets: [
    { ifIndex: 0, timestampNs: 0, data: Uint8Array.of(1, 2, 3), direction: 'in', comments: ['link down core1:Gi1/0/2'] },
    // More than 2^32 ns: the timestamp needs its upper word.
    { ifIndex: 1, timestampNs: 12 * 3600 * 1e9 + 7, data: new Uint8Array(61).fill(0xab), direction: 'out' },
    { ifIndex: 1, timestampNs: 2 ** 53 - 1, data: new Uint8Array(0) },
  ],
};

describe('pcapng writer', () => {
  const bytes = writePcapng(sample);

  it('writes a section header, one interface block per port and one enhanced packet block per frame', () => {
    expect(blocks(bytes).map((b) => b.type)).toEqual([0x0a0d0d0a, 1, 1, 6, 6, 6]);
  });

  it('keeps every block 32-bit aligned with matching leading and trailing lengths', () => {
    for (const b of blocks(bytes)) expect(b.length % 4).toBe(0);
    expect(bytes.length % 4).toBe(0);
  });

  it('starts with the little-endian byte-order magic and version 1.0', () => {
    const v = new DataView(bytes.buffer);
    expect(v.getUint32(8, true)).toBe(0x1a2b3c4d);
    expect(v.getUint16(12, true)).toBe(1);
    expect(v.getUint16(14, true)).toBe(0);
  });

  it('declares Ethernet and nanosecond timestamps (if_tsresol = 9) on each interface', () => {
    const v = new DataView(bytes.buffer);
    const idb = blocks(bytes)[0].length;
    expect(v.getUint16(idb + 8, true)).toBe(LINKTYPE_ETHERNET);
    const text = Array.from(bytes.subarray(idb, idb + blocks(bytes)[1].length), (b) => b.toString(16).padStart(2, '0')).join('');
    expect(text).toContain('0900' + '0100' + '09000000'); // option 9, length 1, value 9, padding
  });

  it('refuses a packet on an interface it has not described', () => {
    expect(() => writePcapng({ interfaces: [], packets: [{ ifIndex: 0, timestampNs: 0, data: new Uint8Array(1) }] })).toThrow(RangeError);
  });
});

describe('pcapng reader', () => {
  it('reads back what the writer wrote', () => {
    const back = readPcapng(writePcapng(sample));
    expect(back.application).toBe('LabBox');
    expect(back.comments).toEqual(sample.comments);
    expect(back.interfaces).toEqual([
      { name: 'core1:Gi1/0/1', description: 'uplink', linkType: 1, snapLength: 0 },
      { name: 'esx1:vmnic0', linkType: 1, snapLength: 0 },
    ]);
    expect(back.packets).toEqual([
      { ...sample.packets[0], originalLength: 3 },
      { ...sample.packets[1], originalLength: 61 },
      { ...sample.packets[2], originalLength: 0 },
    ]);
  });

  it('reads a big-endian file and microsecond timestamps from other writers', () => {
    // SHB, IDB (Ethernet, default resolution: microseconds) and an EPB, all big-endian.
    const words = [
      0x0a0d0d0a, 28, 0x1a2b3c4d, 0x00010000, 0xffffffff, 0xffffffff, 28,
      0x00000001, 20, 0x00010000, 0x00000000, 20,
      0x00000006, 36, 0, 0, 1_500_000, 4, 4, 0xdeadbeef, 36,
    ];
    const bytes = new Uint8Array(words.length * 4);
    const v = new DataView(bytes.buffer);
    words.forEach((w, i) => v.setUint32(i * 4, w, false));
    const back = readPcapng(bytes);
    expect(back.packets).toEqual([{ ifIndex: 0, timestampNs: 1_500_000_000, data: Uint8Array.of(0xde, 0xad, 0xbe, 0xef), originalLength: 4 }]);
  });

  it('rejects files that are not pcapng or whose blocks are damaged', () => {
    expect(() => readPcapng(new Uint8Array(64))).toThrow(PcapngFormatError);
    const bytes = writePcapng(sample);
    const cut = bytes.subarray(0, bytes.length - 4);
    expect(() => readPcapng(cut)).toThrow(/block length/);
    const wrong = bytes.slice();
    wrong[wrong.length - 4] ^= 4;
    expect(() => readPcapng(wrong)).toThrow(/trailing block length/);
  });
});
