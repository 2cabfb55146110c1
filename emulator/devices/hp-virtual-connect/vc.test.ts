import { describe, expect, it } from 'vitest';
import { SECOND } from '../../core/time.ts';
import { ACTIVE_STANDBY, blade, buildLab, ping, replies } from '../hp-c7000/test-support/build.ts';
import { allocateFlexNics } from './flexnic.ts';

const WEB = { name: 'web1', bay: 3, settings: { ip: '10.0.0.11/24' } };

describe('blade NICs reach the VC downlinks by bay and LOM port', () => {
  it.each([
    { bay: 3, lom: 1 },
    { bay: 11, lom: 2 },
    { bay: 16, lom: 4 },
  ])('bay $bay with $lom FlexNICs per port', ({ bay, lom }) => {
    const cfg = `add network N\nadd uplinkport enc0:1:X1 Network=N\nadd profile p\n${'add enet-connection p Network=N\n'.repeat(2 * lom)}assign profile p enc0:${bay}\n`;
    const lab = buildLab({ modules: [{ bay: 1 }, { bay: 2 }], blades: [{ name: 'b', bay, settings: { lomFunctions: lom } }], config: cfg, uplinks: ['1:X1'] });
    lab.net.runUntil(1);
    const b = blade(lab, 'b');
    const fns = ['a', 'b', 'c', 'd'];
    b.hw.nics.forEach((nic, i) => {
      const icBay = (i % 2) + 1;
      expect(nic.peer?.node.name).toBe(`vc${icBay}`);
      expect(nic.peer?.name).toBe(`d${bay}-${fns[Math.floor(i / 2)]}`);
      expect(nic.operUp).toBe(true);
    });
  });

  it('FCoE takes function b, so Ethernet NIC3 is LOM:1-c', () => {
    const cfg = `add network N\nadd uplinkport enc0:1:X1 Network=N\nadd profile p\n${'add enet-connection p Network=N\n'.repeat(4)}add fcoe-connection p Fabric=SAN-A\nadd fcoe-connection p Fabric=SAN-B\nassign profile p enc0:5\n`;
    const lab = buildLab({ modules: [{ bay: 1 }, { bay: 2 }], blades: [{ name: 'b', bay: 5, settings: { lomFunctions: 2 } }], config: cfg, uplinks: ['1:X1'] });
    lab.net.runUntil(1);
    expect(blade(lab, 'b').hw.nics.map((n) => n.peer?.name)).toEqual(['d5-a', 'd5-a', 'd5-c', 'd5-c']);
  });

  it('a NIC with no profile connection has no link; an empty interconnect bay leaves its NICs unwired', () => {
    const cfg = `add network N\nadd uplinkport enc0:1:X1 Network=N\nadd profile p\nadd enet-connection p Network=N\nassign profile p enc0:2\n`;
    const lab = buildLab({ modules: [{ bay: 1 }], blades: [{ name: 'b', bay: 2, settings: { lomFunctions: 2 } }], config: cfg, uplinks: ['1:X1'] });
    lab.net.runUntil(1);
    const nics = blade(lab, 'b').hw.nics;
    expect(nics[0].operUp).toBe(true);
    expect(nics[1].link).toBeNull(); // LOM:2-a goes to bay 2, which is empty
    expect(nics[2].operUp).toBe(false); // LOM:1-b: no connection 3 in the profile
  });
});

describe('vNet uplinks: one active, standby takes over, SmartLink', () => {
  it('forwards through the active uplink and fails over to the standby, then back', () => {
    const lab = buildLab({ modules: [{ bay: 1 }, { bay: 2 }], blades: [WEB], config: ACTIVE_STANDBY, uplinks: ['1:X1', '2:X1'] });
    const flow = ping(lab, '10.0.0.11', 500);
    lab.net.runUntil(10 * SECOND);
    expect(replies(flow, 4, 10).ok).toBe(12);
    // The standby uplink on bay 2 carries nothing inbound: its frames are dropped (loop prevention).
    expect(lab.enc.domain.activeUplink(1)?.module.bay).toBe(1);
    lab.net.links.find((l) => l.a === lab.modules.get(1)!.uplink('X1'))!.setUp(false);
    lab.net.runUntil(30 * SECOND);
    expect(lab.enc.domain.activeUplink(1)?.module.bay).toBe(2);
    const after = replies(flow, 13, 30);
    expect(after.ok).toBe(after.sent);
    lab.net.links.find((l) => l.a === lab.modules.get(1)!.uplink('X1'))!.setUp(true);
    lab.net.runUntil(50 * SECOND);
    expect(lab.enc.domain.activeUplink(1)?.module.bay).toBe(1);
    const back = replies(flow, 33, 50);
    expect(back.ok).toBe(back.sent);
  });

  it('without a standby uplink the network fails and pings stop', () => {
    const cfg = ACTIVE_STANDBY.replace('add uplinkport enc0:2:X1 Network=Prod\n', '');
    const lab = buildLab({ modules: [{ bay: 1 }, { bay: 2 }], blades: [WEB], config: cfg, uplinks: ['1:X1'] });
    const flow = ping(lab, '10.0.0.11', 500);
    lab.net.runUntil(5 * SECOND);
    lab.net.links.find((l) => l.a === lab.modules.get(1)!.uplink('X1'))!.setUp(false);
    lab.net.runUntil(20 * SECOND);
    expect(lab.enc.domain.activeUplink(1)).toBeNull();
    expect(replies(flow, 6, 20).ok).toBe(0);
  });

  it.each([
    { smart: 'Enabled', dcc: true, down: true },
    { smart: 'Disabled', dcc: true, down: false },
    { smart: 'Enabled', dcc: false, down: false },
  ])('SmartLink $smart, DCC $dcc: server downlinks down when every uplink is lost = $down', ({ smart, dcc, down }) => {
    const cfg = `add network A SmartLink=${smart}\nadd uplinkport enc0:1:X1 Network=A\nadd uplinkport enc0:1:X2 Network=A\nadd network B SmartLink=${smart}\nadd uplinkport enc0:2:X1 Network=B\nadd profile p\nadd enet-connection p Network=A\nadd enet-connection p Network=B\nassign profile p enc0:7\n`;
    const lab = buildLab({ modules: [{ bay: 1 }, { bay: 2 }], blades: [{ name: 'b', bay: 7, settings: { dcc } }], config: cfg, uplinks: ['1:X1', '1:X2', '2:X1'] });
    lab.net.runUntil(1 * SECOND);
    const nics = blade(lab, 'b').hw.nics;
    const cable = (port: string) => lab.net.links.find((l) => l.a === lab.modules.get(1)!.uplink(port))!;
    cable('X1').setUp(false);
    lab.net.runUntil(5 * SECOND);
    expect(nics[0].operUp).toBe(true); // X2 still serves network A
    cable('X2').setUp(false);
    lab.net.runUntil(10 * SECOND);
    expect(nics[0].operUp).toBe(!down);
    expect(nics[1].operUp).toBe(true); // network B on bay 2 is untouched
    cable('X2').setUp(true);
    lab.net.runUntil(15 * SECOND);
    expect(nics[0].operUp).toBe(true);
  });
});

describe('module insert and pull', () => {
  it.each([{ boot: 150 }, { boot: 40 }])('pulling drops its downlinks; reinserted, they return after the $boot s boot', ({ boot }) => {
    const lab = buildLab({ modules: [{ bay: 1, settings: { bootSeconds: boot } }, { bay: 2 }], blades: [WEB], config: ACTIVE_STANDBY, uplinks: ['1:X1', '2:X1'] });
    lab.net.runUntil(1 * SECOND);
    const nics = blade(lab, 'web1').hw.nics;
    lab.enc.pullModule(1);
    lab.net.runUntil(2 * SECOND);
    expect(nics[0].operUp).toBe(false);
    expect(nics[1].operUp).toBe(true);
    lab.enc.insertModule(1);
    lab.net.runUntil((2 + boot - 1) * SECOND);
    expect(nics[0].operUp).toBe(false);
    lab.net.runUntil((2 + boot + 1) * SECOND);
    expect(nics[0].operUp).toBe(true);
  });
});

describe('server profiles', () => {
  it('a replaced blade keeps the profile MACs; without VC-assigned MACs it shows its own', () => {
    const lab = buildLab({ modules: [{ bay: 1 }, { bay: 2 }], blades: [WEB], config: ACTIVE_STANDBY, uplinks: ['1:X1', '2:X1'] });
    lab.net.runUntil(1 * SECOND);
    const b = blade(lab, 'web1');
    const before = [...b.hw.macs];
    expect(before).toEqual([0x0017a4770000, 0x0017a4770002]);
    lab.enc.pullBlade(3);
    lab.enc.insertBlade(3, 'CZ3333AAAA');
    expect(b.hw.macs).toEqual(before);
    expect(b.iface('NIC1').mac).toBe(before[0]);

    const lab2 = buildLab({ modules: [{ bay: 1 }, { bay: 2 }], blades: [WEB], config: 'set domain MacType=Factory-Default\n' + ACTIVE_STANDBY, uplinks: ['1:X1', '2:X1'] });
    lab2.net.runUntil(1 * SECOND);
    const b2 = blade(lab2, 'web1');
    const own = [...b2.hw.macs];
    lab2.enc.pullBlade(3);
    lab2.enc.insertBlade(3, 'CZ3333AAAA');
    expect(b2.hw.macs).not.toEqual(own);
  });

  it('MACs come in pairs from the pool (primary + iSCSI), as in seed 001', () => {
    const cfg = `set domain MacType=User-Defined MacStart=00-17-A4-77-00-C6\nadd network N\nadd profile p\n${'add enet-connection p Network=N\n'.repeat(6)}assign profile p enc0:1\n`;
    const lab = buildLab({ modules: [{ bay: 1 }, { bay: 2 }], blades: [{ name: 'b', bay: 1, settings: { lomFunctions: 3 } }], config: cfg, uplinks: [] });
    lab.net.runUntil(1);
    expect(blade(lab, 'b').hw.macs.map((m) => (m % 256).toString(16))).toEqual(['c6', 'c8', 'ca', 'cc', 'ce', 'd0']);
  });
});

describe('FlexNIC bandwidth', () => {
  it('splits a port: preferred first, Auto shares the rest in 100 Mb steps', () => {
    expect(allocateFlexNics([1e9, 'auto', 'auto', 'auto'])).toEqual([1e9, 3e9, 3e9, 3e9]);
    expect(allocateFlexNics([2.5e9, 'auto', 'auto'])).toEqual([2.5e9, 3.8e9, 3.7e9]);
    expect(allocateFlexNics([8e9, 4e9])).toEqual([6.6e9, 3.3e9]);
  });

  it.each([{ mb: 2000 }, { mb: 4000 }])('a $mb Mb FlexNIC carries no more than that: the excess is dropped at its queue', ({ mb }) => {
    const cfg = `add network N\nadd uplinkport enc0:1:X1 Network=N\nadd profile p\nadd enet-connection p Network=N SpeedType=Custom Speed=${mb}\nadd enet-connection p Network=N\nassign profile p enc0:3\n`;
    const lab = buildLab({ modules: [{ bay: 1 }, { bay: 2 }], blades: [{ name: 'b', bay: 3, settings: {} }], config: cfg, uplinks: ['1:X1'] });
    lab.net.runUntil(1);
    const nic = blade(lab, 'b').hw.nics[0];
    expect(nic.link?.rateBps).toBe(mb * 1e6);
    // Offer 5 Gb/s of 1500-byte frames for 10 ms.
    const frames = Math.round((5e9 * 0.01) / (1500 * 8));
    const gapNs = Math.round(1e7 / frames);
    let t = lab.net.now;
    for (let i = 0; i < frames; i++) {
      lab.net.runUntil(t);
      const f = lab.net.pool.alloc();
      f.dst = 0x02aaaaaaaaaa;
      f.src = nic.mac;
      f.vlan = 0;
      f.etherType = 0x88b5;
      f.size = 1500;
      f.payload = { kind: 'opaque', length: 1482, tag: 0 };
      nic.send(f);
      t += gapNs;
    }
    lab.net.runUntil(t + 1 * SECOND);
    const carriedBps = (nic.outOctets * 8) / 0.01;
    expect(nic.outDiscards).toBeGreaterThan(0);
    expect(carriedBps).toBeLessThanOrEqual(mb * 1e6 * 1.1);
    expect(carriedBps).toBeGreaterThan(mb * 1e6 * 0.8);
  });
});

describe('VC Manager', () => {
  it.each([{ primary: 1, backup: 2 }])('fails over to the backup when the primary reboots, and the old primary returns as backup', ({ primary, backup }) => {
    const lab = buildLab({ modules: [{ bay: 1, settings: { bootSeconds: 100 } }, { bay: 2 }], blades: [WEB], config: ACTIVE_STANDBY, uplinks: ['1:X1', '2:X1'] });
    lab.net.runUntil(1 * SECOND);
    const d = lab.enc.domain;
    expect([d.vcmPrimary, d.vcmBackup]).toEqual([primary, backup]);
    lab.enc.resetInterconnect(primary);
    lab.net.runUntil(30 * SECOND);
    expect(d.vcmPrimary).toBeNull();
    lab.net.runUntil(62 * SECOND);
    expect(d.vcmPrimary).toBe(backup);
    lab.net.runUntil(120 * SECOND);
    expect([d.vcmPrimary, d.vcmBackup]).toEqual([backup, primary]);
  });

  it('with only bay 2 present, it is the primary; a pulled backup leaves no failover target', () => {
    const lab = buildLab({ modules: [{ bay: 2 }], blades: [], config: 'add network N\n', uplinks: [] });
    lab.net.runUntil(1);
    expect(lab.enc.domain.vcmPrimary).toBe(2);
    lab.enc.pullModule(2);
    lab.net.runUntil(600 * SECOND);
    expect(lab.enc.domain.vcmPrimary).toBeNull();
  });
});
