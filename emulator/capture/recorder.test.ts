import { describe, expect, it } from 'vitest';
import type { FramePayload } from '../core/packets.ts';
import { ETHERTYPE_ARP, ETHERTYPE_BENCH } from '../core/packets.ts';
import { decodeFrame, wireSize, type FrameView } from '../wire/frame.ts';
import { readPcapng } from '../wire/pcapng.ts';
import { CaptureRecorder, formatSimTime } from './recorder.ts';

function arpFrame(targetIp: number): FrameView {
  const payload: FramePayload = { kind: 'arp', op: 1, senderMac: 0x020000000001, senderIp: 0x0a000001, targetMac: 0, targetIp };
  return { dst: 0xffffffffffff, src: 0x020000000001, vlan: 0, pcp: 0, etherType: ETHERTYPE_ARP, size: wireSize(payload, false), payload };
}

function benchFrame(tag: number, length = 64): FrameView {
  const payload: FramePayload = { kind: 'opaque', length, tag };
  return { dst: 0x020000000002, src: 0x020000000001, vlan: 0, pcp: 0, etherType: ETHERTYPE_BENCH, size: wireSize(payload, false), payload };
}

describe('CaptureRecorder', () => {
  it('keeps the bytes of the frame as it was when recorded, even if the engine reuses the object', () => {
    const rec = new CaptureRecorder();
    const port = rec.addInterface('sw1:Gi1/0/1');
    const frame = arpFrame(0x0a000002);
    rec.record(1000, port, frame, 'in');
    frame.dst = 0x020000000009;
    frame.payload = null;
    const back = readPcapng(rec.toPcapng());
    expect(decodeFrame(back.packets[0].data).summary).toBe('Who has 10.0.0.2? Tell 10.0.0.1');
  });

  it('lists frames for a packet list with time, interface, protocol, summary and length', () => {
    const rec = new CaptureRecorder();
    const a = rec.addInterface('sw1:Gi1/0/1');
    const b = rec.addInterface('sw1:Gi1/0/2');
    rec.record(1_000, a, arpFrame(0x0a000002), 'in');
    rec.record(2_500, b, benchFrame(7), 'out');
    expect(rec.frameCount).toBe(2);
    expect(rec.packets()).toEqual([
      { number: 1, timeNs: 1_000, ifIndex: a, interfaceName: 'sw1:Gi1/0/1', direction: 'in', length: 60, protocol: 'ARP', summary: 'Who has 10.0.0.2? Tell 10.0.0.1', comments: [] },
      { number: 2, timeNs: 2_500, ifIndex: b, interfaceName: 'sw1:Gi1/0/2', direction: 'out', length: 78, protocol: 'ETH-EXP', summary: 'Data, 64 bytes, tag 7', comments: [] },
    ]);
    expect(rec.detail(2).tree[0].label).toBe('Ethernet II, Src: 02:00:00:00:00:01, Dst: 02:00:00:00:00:02');
  });

  it('writes timestamps, interfaces and directions into the pcapng', () => {
    const rec = new CaptureRecorder();
    rec.addInterface('h1:eth0');
    rec.record(3_000_000_001, 0, benchFrame(1), 'out');
    const back = readPcapng(rec.toPcapng());
    expect(back.interfaces.map((i) => i.name)).toEqual(['h1:eth0']);
    expect(back.packets[0]).toMatchObject({ ifIndex: 0, timestampNs: 3_000_000_001, direction: 'out' });
    expect(back.application).toBe('LabBox');
  });

  it('attaches an event to the next frame, stamped with the event time when it differs', () => {
    const rec = new CaptureRecorder();
    rec.addInterface('sw1:Gi1/0/1');
    rec.comment(10_000_000_000, 'link sw1:Gi1/0/2 down');
    rec.comment(12_000_000_000, 'ping probe 12 sent');
    rec.record(12_000_000_000, 0, benchFrame(12), 'in');
    rec.record(13_000_000_000, 0, benchFrame(13), 'in');
    const back = readPcapng(rec.toPcapng());
    expect(back.packets[0].comments).toEqual(['[10.000000000 s] link sw1:Gi1/0/2 down', 'ping probe 12 sent']);
    expect(back.packets[1].comments).toBeUndefined();
  });

  it('puts events after the last frame into the section comment rather than losing them', () => {
    const rec = new CaptureRecorder();
    rec.addInterface('sw1:Gi1/0/1');
    rec.record(1, 0, benchFrame(1), 'in');
    rec.comment(5_000_000_000, 'module pulled');
    expect(readPcapng(rec.toPcapng()).comments).toEqual(['[5.000000000 s] module pulled']);
  });

  it('stays within its byte budget by dropping the oldest frames, and says so', () => {
    const rec = new CaptureRecorder({ maxBytes: 10_000 });
    rec.addInterface('sw1:Gi1/0/1');
    for (let i = 1; i <= 200; i++) rec.record(i * 1000, 0, benchFrame(i), 'in');
    expect(rec.recordedCount).toBe(200);
    expect(rec.truncated).toBe(true);
    expect(rec.retainedBytes).toBeLessThanOrEqual(10_000);
    expect(rec.frameCount + rec.droppedCount).toBe(200);
    const back = readPcapng(rec.toPcapng());
    expect(back.packets.length).toBe(rec.frameCount);
    // The newest frames are the ones kept.
    expect(decodeFrame(back.packets.at(-1)?.data ?? new Uint8Array()).summary).toBe('Data, 64 bytes, tag 200');
    const note = `Capture truncated: ${rec.droppedCount} earlier frame(s) were dropped to stay within the 10000-byte capture budget; ${rec.frameCount} of 200 frames kept.`;
    expect(back.comments).toEqual([note]);
    expect(back.packets[0].comments).toEqual([note]);
    expect(rec.packets(1, 1)[0].comments).toEqual([note]);
  });

  it('is not truncated while under budget', () => {
    const rec = new CaptureRecorder({ maxBytes: 1_000_000 });
    rec.addInterface('p');
    for (let i = 0; i < 100; i++) rec.record(i, 0, benchFrame(i), 'in');
    expect(rec.truncated).toBe(false);
    expect(readPcapng(rec.toPcapng()).comments).toEqual([]);
  });

  it('rejects frames on an interface it does not have', () => {
    const rec = new CaptureRecorder();
    expect(() => rec.record(0, 0, benchFrame(1), 'in')).toThrow(RangeError);
  });

  it('formats simulated time as seconds with nanosecond digits', () => {
    expect(formatSimTime(0)).toBe('0.000000000 s');
    expect(formatSimTime(12_000_250_000)).toBe('12.000250000 s');
  });
});
