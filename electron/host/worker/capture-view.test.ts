import { describe, expect, it } from 'vitest';
import { CaptureRecorder } from '../../../emulator/capture/recorder.ts';
import { ETHERTYPE_ARP, ETHERTYPE_IPV4, IPPROTO_ICMP, type FramePayload } from '../../../emulator/core/packets.ts';
import { wireSize, type FrameView } from '../../../emulator/wire/frame.ts';
import { CaptureViews } from './capture-view.ts';

const PC1 = 0x020000001011;
const PC3 = 0x020000001013;

function arp(targetIp: number): FrameView {
  const payload: FramePayload = { kind: 'arp', op: 1, senderMac: PC1, senderIp: 0x0a000a0b, targetMac: 0, targetIp };
  return { dst: 0xffffffffffff, src: PC1, vlan: 0, pcp: 0, etherType: ETHERTYPE_ARP, size: wireSize(payload, false), payload };
}

function echo(seq: number): FrameView {
  const payload: FramePayload = {
    kind: 'ipv4',
    src: 0x0a000a0b,
    dst: 0x0a000a0d,
    ttl: 128,
    protocol: IPPROTO_ICMP,
    ident: seq,
    dscp: 0,
    totalLength: 60,
    payload: { kind: 'icmp', type: 8, code: 0, ident: 1, seq, dataLength: 32, quoted: null },
  };
  return { dst: PC3, src: PC1, vlan: 10, pcp: 0, etherType: ETHERTYPE_IPV4, size: wireSize(payload, true), payload };
}

function setup(maxBytes?: number) {
  const rec = new CaptureRecorder(maxBytes ? { maxBytes } : {});
  const port = rec.addInterface('sw1:port24');
  const views = new CaptureViews((id) => {
    if (id !== 'cap1') throw new Error(`no capture ${id}`);
    return rec;
  });
  return { rec, port, views };
}

describe('capture packet-list pages', () => {
  it('pages every frame when there is no filter, with addresses for the Source and Destination columns', () => {
    const { rec, port, views } = setup();
    for (let i = 0; i < 5; i++) rec.record(i * 1000, port, i % 2 === 0 ? arp(0x0a000a0d) : echo(i), 'in');
    const page = views.page('cap1', 1, 2, '');
    expect(page).toMatchObject({ total: 5, matched: 5, offset: 1 });
    expect(page.rows.map((r) => [r.number, r.protocol, r.source, r.destination])).toEqual([
      [2, 'ICMP', '10.0.10.11', '10.0.10.13'],
      [3, 'ARP', '02:00:00:00:10:11', 'ff:ff:ff:ff:ff:ff'],
    ]);
    expect(page.rows[0]).toMatchObject({ timeNs: 1000, interfaceName: 'sw1:port24', direction: 'in', info: expect.stringContaining('Echo') });
    expect(views.page('cap1', 5, 10, '').rows).toEqual([]);
  });

  it('filters, and picks up frames recorded after the first look', () => {
    const { rec, port, views } = setup();
    rec.record(0, port, arp(1), 'in');
    rec.record(1, port, echo(1), 'out');
    expect(views.page('cap1', 0, 50, 'icmp').rows.map((r) => r.number)).toEqual([2]);
    rec.record(2, port, arp(2), 'in');
    rec.record(3, port, echo(2), 'out');
    const page = views.page('cap1', 0, 50, 'icmp');
    expect(page).toMatchObject({ total: 4, matched: 2 });
    expect(page.rows.map((r) => r.number)).toEqual([2, 4]);
    expect(views.page('cap1', 1, 50, '!icmp').rows.map((r) => r.number)).toEqual([3]);
  });

  it('answers a filter it cannot read with the reason and nothing listed', () => {
    const { rec, port, views } = setup();
    rec.record(0, port, arp(1), 'in');
    expect(views.page('cap1', 0, 50, 'ip.addr = 10.0.0.1')).toEqual({
      total: 1,
      matched: 0,
      offset: 0,
      rows: [],
      filterError: { message: '"=" is not an operator here: compare with "==" (column 9)', column: 9 },
    });
  });

  it('renumbers after the byte budget drops the oldest frames', () => {
    const { rec, port, views } = setup(400);
    rec.record(0, port, echo(1), 'in');
    rec.record(1, port, arp(1), 'in');
    expect(views.page('cap1', 0, 50, 'arp').rows.map((r) => r.number)).toEqual([2]);
    for (let i = 2; i < 6; i++) rec.record(i, port, arp(i), 'in');
    expect(rec.droppedCount).toBeGreaterThan(0);
    const page = views.page('cap1', 0, 50, 'arp');
    expect(page.matched).toBe(rec.frameCount);
    expect(page.rows.map((r) => r.number)).toEqual(Array.from({ length: rec.frameCount }, (_, i) => i + 1));
  });

  it('gives one frame with its decode tree and bytes', () => {
    const { rec, port, views } = setup();
    rec.record(5, port, echo(7), 'out');
    const d = views.frame('cap1', 1);
    expect(d).toMatchObject({ number: 1, protocol: 'ICMP', source: '10.0.10.11', direction: 'out', problems: [] });
    expect(d.bytes.length).toBe(d.length);
    expect(d.bytes.slice(12, 14)).toEqual([0x81, 0x00]);
    expect(d.tree.map((n) => n.label.split(',')[0])).toEqual(['Ethernet II', '802.1Q Virtual LAN', 'Internet Protocol Version 4', 'Internet Control Message Protocol']);
    expect(() => views.frame('cap1', 2)).toThrow(/no frame 2/);
  });
});
