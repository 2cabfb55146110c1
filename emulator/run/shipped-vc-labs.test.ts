import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SECOND } from '../core/time.ts';
import { editScenario, failures, replaceAll } from './test-support/lab-variants.ts';
import { runScenario } from './test-support/run-scenario.ts';

/**
 * The two shipped Virtual Connect labs rewritten: other addresses, VLANs, bays, counts, firmware
 * versions and activation orders must still hold every expectation, and changing what the lab's
 * story rests on (Notify Switches on the NLB ports, firmware that signals on a graceful reboot,
 * the order and spacing of activations) must make exactly the expectations about it fail, with
 * readings that show why. The mechanisms decide, not the lab.
 */
const labText = (file: string): string => fs.readFileSync(path.resolve(import.meta.dirname, '../../labs', file), 'utf8');
const REPLACEMENT = labText('vc-module-replacement.lab.yaml');
const FIRMWARE = labText('vc-firmware-update.lab.yaml');

/** Lost pings per flow, for readings a failure list does not show. */
function lost(text: string, scenario: string): Record<string, number> {
  const { report } = runScenario(text, scenario);
  return Object.fromEntries(report.flows.map((f) => [f.id, f.lost]));
}

describe('VC module replacement: variants that must still pass', () => {
  it('172.20.5.0/24 in VLAN 205 instead of 10.98.0.0/24 in VLAN 98, with the cluster MAC of the new VIP', () => {
    const text = replaceAll(REPLACEMENT, [
      ['VLanID=98', 'VLanID=205'],
      ['/98', '/205'],
      ['vlan 98', 'vlan 205'],
      ['vlan 10,98', 'vlan 10,205'],
      ['10.98.0.', '172.20.5.'],
      // 172.20.5.100 = ac.14.05.64
      ['02bf.0a62.0064', '02bf.ac14.0564'],
    ]);
    expect(failures(text, 'module-replacement')).toEqual([]);
    // Which client NLB gives to the darkened node depends on how the port rules hash the client
    // addresses: with these, both clients belong to nlb1, so client2's sessions die with it.
    expect(failures(text, 'nlb-notify-on')).toEqual(["client2's sessions, which NLB gives to nlb2, carry on: longest outage 3m59.5s (479 of 509 lost)"]);
  });

  it('blades in device bays 5 and 9, and a third blade with one more VM', () => {
    const esx3 = `  - name: esx3
    kind: hp-bl460c
    parent: enc1
    slot: "12"
    position: { x: 780, y: 420 }
    settings: { os: esxi, lomFunctions: 2, managementIp: 10.0.10.13/24, dvsUplinks: "vmnic2,vmnic3", dvPortGroups: "VM-Prod/98" }
  - name: vm5
    kind: esxi-vm
    parent: esx3
    position: { x: 780, y: 540 }
    settings: { portGroup: VM-Prod, ip: 10.98.0.25/24 }
  - name: core
`;
    const profile3 = `      add profile esx3
      add enet-connection esx3 Network=Mgmt-A
      add enet-connection esx3 Network=Mgmt-B
      add enet-connection esx3
      add enet-connection esx3
      add server-port-map esx3:3 Prod-A VLanID=98
      add server-port-map esx3:4 Prod-B VLanID=98
      assign profile esx3 enc0:12
  - name: vc2
`;
    let text = replaceAll(REPLACEMENT, [
      ['assign profile esx1 enc0:1\n', 'assign profile esx1 enc0:5\n'],
      ['assign profile esx2 enc0:2\n', 'assign profile esx2 enc0:9\n'],
      [/(- name: esx1\n {4}kind: hp-bl460c\n {4}parent: enc1\n {4}slot: )"1"/, '$1"5"'],
      [/(- name: esx2\n {4}kind: hp-bl460c\n {4}parent: enc1\n {4}slot: )"2"/, '$1"9"'],
      ['  - name: vc2\n', profile3],
      ['  - name: core\n', esx3],
    ]);
    for (const s of ['module-replacement', 'nlb-notify-on']) {
      text = editScenario(text, s, (b) =>
        replaceAll(b, [
          ['      - { id: esx1-mgmt,', '      - { id: vm5, start: 5s, ping: { from: client, to: 10.98.0.25, every: 500ms, timeout: 1s } }\n      - { id: esx1-mgmt,'],
          ['      - { flow: esx1-mgmt, max-outage: 3s }', '      - { flow: esx1-mgmt, max-outage: 3s }\n      - { flow: vm5, max-outage: 3s }'],
        ]),
      );
    }
    expect(failures(text, 'module-replacement')).toEqual([]);
    expect(failures(text, 'nlb-notify-on')).toEqual([]);
  });
});

describe('VC module replacement: variants whose outcome must flip', () => {
  it('without turning Notify Switches on, the same pull leaves both NLB nodes reachable', () => {
    const text = editScenario(REPLACEMENT, 'nlb-notify-on', (b) => replaceAll(b, [[/ {6}- \{ at: 10s, do: set, [^\n]*\n/g, '']]));
    expect(failures(text, 'nlb-notify-on')).toEqual([
      'the failover RARP taught the core the cluster MAC: no match in 7 lines of output',
      'nlb1 goes dark at the pull and stays dark: 4 of 510 lost',
      "client's sessions, which NLB gives to nlb1, are lost: 0 of 510 lost",
    ]);
  });

  it('with Notify Switches on, pulling the module the NLB ports are not pinned to sends no RARP and breaks nothing', () => {
    const text = editScenario(REPLACEMENT, 'nlb-notify-on', (b) => replaceAll(b, [['target: enc1, bay: 1', 'target: enc1, bay: 2']]));
    expect(failures(text, 'nlb-notify-on')).toEqual([
      'the failover RARP taught the core the cluster MAC: no match in 7 lines of output',
      'nlb1 goes dark at the pull and stays dark: 0 of 510 lost',
      "client's sessions, which NLB gives to nlb1, are lost: 0 of 510 lost",
    ]);
  });

  it('Notify Switches on from the start (the vSphere default): the pull pins the cluster MAC just the same', () => {
    // The guest programs the cluster MAC only once NLB binds, after the vNIC connected, so the
    // power-on RARP still carries the vNIC's own MAC; the failover RARP is the one that exposes it.
    const text = replaceAll(REPLACEMENT, [['NLB/98/notify=no/', 'NLB/98/notify=yes/']]);
    expect(failures(text, 'module-replacement')).toEqual([
      'the core never learns the cluster MAC: line 6 matches: 98    02bf.0a62.0064    DYNAMIC     Te1/1/2',
      'nlb1: outage at most 3s: longest outage 3m59.5s (479 of 509 lost)',
      'web-a: outage at most 3s: longest outage 3m59.5s (479 of 509 lost)',
    ]);
  });
});

describe('VC firmware update: variants that must still pass', () => {
  it('VLANs 20 and 300, other addresses, and 4.10 updated to 4.50', () => {
    const text = replaceAll(FIRMWARE, [
      ['VLanID=10', 'VLanID=20'],
      ['VLanID=98', 'VLanID=300'],
      ['managementVlan: 10', 'managementVlan: 20'],
      ['VM Network/98', 'VM Network/300'],
      ['access vlan 98', 'access vlan 300'],
      ['access vlan 10', 'access vlan 20'],
      ['vlan 10\n', 'vlan 20\n'],
      ['vlan 98\n', 'vlan 300\n'],
      ['allowed vlan 10,98', 'allowed vlan 20,300'],
      ['10.98.0.', '192.168.30.'],
      ['10.0.10.', '192.168.20.'],
      ['-l 4.45', '-l 4.50'],
      ['firmware 4\\\\.45', 'firmware 4\\\\.50'],
      ['firmware 3\\\\.70', 'firmware 4\\\\.10'],
      [/ {4}kind: hp-vc-flex10\n {4}parent: enc1\n {4}slot: "(1|2)"\n {4}position: .*\n/g, '$&    settings: { firmware: "4.10" }\n'],
    ]);
    expect(text.match(/firmware: "4.10"/g)).toHaveLength(2);
    expect(failures(text, 'odd-even-graceful')).toEqual([]);
    expect(failures(text, 'manual-oa-reset')).toEqual([]);
  });

  it('serial activation reboots the same two modules in the same way', () => {
    const text = editScenario(FIRMWARE, 'odd-even-graceful', (b) => replaceAll(b, [['-oe odd-even', '-oe serial']]));
    expect(failures(text, 'odd-even-graceful')).toEqual([]);
  });

  it('the OA resets in the other order, bay 2 first', () => {
    const text = editScenario(FIRMWARE, 'manual-oa-reset', (b) =>
      replaceAll(b, [
        ['run: "reset interconnect 1"', 'run: "reset interconnect X"'],
        ['run: "reset interconnect 2"', 'run: "reset interconnect 1"'],
        ['run: "reset interconnect X"', 'run: "reset interconnect 2"'],
      ]),
    );
    expect(failures(text, 'manual-oa-reset')).toEqual([]);
  });
});

describe('VC firmware update: variants whose outcome must flip', () => {
  const graceful = ['esx1', 'esx2', 'app1', 'db1', 'app2', 'db2'].map((f) => `${f} loses pings to a graceful reboot: 2 of 3295 lost`);

  it('modules already on 4.45, updated to 4.50: the newer firmware drops its links before rebooting, so no host waits out a hold', () => {
    const text = replaceAll(FIRMWARE, [
      [/ {4}kind: hp-vc-flex10\n {4}parent: enc1\n {4}slot: "(1|2)"\n {4}position: .*\n/g, '$&    settings: { firmware: "4.45" }\n'],
      ['-l 4.45 -oe odd-even', '-l 4.50 -oe odd-even'],
      [/firmware 4\\\\\.45", name: "bay (1|2) runs 4\.45"/g, 'firmware 4\\\\.50", name: "bay $1 runs 4.45"'],
    ]);
    expect(failures(text, 'odd-even-graceful')).toEqual(graceful);
  });

  it('3.70 with the newer graceful behaviour (gracefulLinkDropFrom 3.70): the same job costs a failback only', () => {
    const text = replaceAll(FIRMWARE, [[/ {4}kind: hp-vc-flex10\n {4}parent: enc1\n {4}slot: "(1|2)"\n {4}position: .*\n/g, '$&    settings: { gracefulLinkDropFrom: "3.70" }\n']]);
    expect(failures(text, 'odd-even-graceful')).toEqual(graceful);
  });

  const PARALLEL = editScenario(FIRMWARE, 'odd-even-graceful', (b) => replaceAll(b, [['-oe odd-even', '-oe parallel']]));
  const all = ['esx1', 'esx2', 'app1', 'db1', 'app2', 'db2'];

  it('parallel activation reboots both modules at once: every host and VM is cut off for the whole boot, and no longer', () => {
    // Nothing forwards from the first reboot until both modules are up again and VC has chosen
    // their uplinks: the 20 s hold, the 150 s boot and the 2 s uplink delay, far beyond any
    // failover. Both modules come up in the same instant, so ESXi briefly puts every port on
    // vmnic0 before vmnic1's link-up moves the bay-2 ones back; module 1 keeps those MACs in its
    // cache and announces them with Fast MAC Cache Failover while module 2 announces the same MACs,
    // and the core floods each announcement into the other module. When the modules learned from
    // the reflected frames, the ports pinned to bay 2 stayed dark for 418 s, until the client's ARP
    // refresh, with the core holding db1 on Te1/1/1.
    const { report, events } = runScenario(PARALLEL, 'odd-even-graceful');
    for (const f of report.flows.filter((x) => all.includes(x.id))) {
      expect(f.lost, f.id).toBeGreaterThanOrEqual(172);
      expect(f.lost, f.id).toBeLessThanOrEqual(174);
      expect(f.longestOutageNs, f.id).toBeLessThanOrEqual(174 * SECOND);
    }
    // The core's last word on db1's MAC, from the MAC moves it logged, is the uplink from bay 2.
    const rarp = events.find((e) => e.kind === 'esxi.rarp' && e.text.includes('db1 ethernet0'));
    const mac = /\(([0-9a-f:]{17})\)/.exec(rarp?.text ?? '')?.[1];
    expect(mac).toBeDefined();
    const moves = events.filter((e) => e.kind === 'mac.move' && e.text.includes(`host ${mac as string} `));
    expect(moves.at(-1)?.text).toMatch(/to TenGigabitEthernet1\/1\/2$/);
    expect(moves.at(-1)?.t).toBeLessThan(2763 * SECOND);
  });

  it('modules that learn from their own reflected Fast MAC Cache frames black-hole the ports pinned to bay 2 after a parallel activation', () => {
    const text = replaceAll(PARALLEL, [[/ {4}kind: hp-vc-flex10\n {4}parent: enc1\n {4}slot: "(1|2)"\n {4}position: .*\n/g, '$&    settings: { learnOwnMacCacheFrames: true }\n']]);
    const l = lost(text, 'odd-even-graceful');
    // Ports on bay 1 are announced by module 1 only and recover with the boot.
    for (const f of ['app1', 'app2']) expect(l[f]).toBeLessThanOrEqual(174);
    // Module 2 now holds the bay-2 MACs as upstream and drops what the core sends it for them.
    for (const f of ['esx1', 'esx2', 'db1', 'db2']) expect(l[f]).toBeGreaterThan(300);
  });

  it('both OA resets at once instead of five minutes apart: nothing is left to fail over to', () => {
    const text = editScenario(FIRMWARE, 'manual-oa-reset', (b) => replaceAll(b, [['at: 3000s, do: cli, on: enc1, run: "reset interconnect 2"', 'at: 2700s, do: cli, on: enc1, run: "reset interconnect 2"']]));
    const l = lost(text, 'manual-oa-reset');
    for (const f of ['esx1', 'esx2', 'app1', 'db1', 'app2', 'db2']) expect(l[f]).toBeGreaterThan(140);
  });
});
