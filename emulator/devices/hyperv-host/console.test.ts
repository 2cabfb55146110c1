import { describe, expect, it } from 'vitest';
import { parseIpv4 } from '../../core/ipv4.ts';
import { SECOND } from '../../core/time.ts';
import type { IpHost } from '../../l3/ip-host.ts';
import { parseLab } from '../../lab/parse.ts';
import { createLabNetworkRun } from '../../run/lab-run.ts';
import { drainNode } from '../hyperv-cluster/cluster.ts';
import { HypervHost } from './host.ts';

/** A two-node cluster, each host an LACP team into one switch, two VMs; VMs listed before their hosts. */
const LAB = `
apiVersion: labbox/v1
kind: Lab
metadata: { name: hv-console }
devices:
  - { name: web1, kind: hyperv-vm, parent: hv1, settings: { ip: 10.0.0.11/24, vlan: 0, memoryMB: 1024 } }
  - { name: web2, kind: hyperv-vm, parent: hv1, settings: { ip: 10.0.0.12/24, macSpoofing: true } }
  - { name: cl1, kind: hyperv-cluster }
  - { name: hv1, kind: hyperv-host, parent: cl1, settings: { teamingMode: LACP, loadBalancing: Dynamic, managementIp: 10.0.1.21 } }
  - { name: hv2, kind: hyperv-host, parent: cl1, settings: { teamingMode: LACP, loadBalancing: Dynamic, managementIp: 10.0.1.22 } }
  - name: sw1
    kind: l2-switch
    config: |
      channel 1 ports 1-2 mode active
      channel 2 ports 3-4 mode active
  - { name: client, kind: pc, settings: { ip: 10.0.0.100/24 } }
links:
  - { a: hv1:NIC1, b: sw1:port1 }
  - { a: hv1:NIC2, b: sw1:port2 }
  - { a: hv2:NIC1, b: sw1:port3 }
  - { a: hv2:NIC2, b: sw1:port4 }
  - { a: client:eth0, b: sw1:port24 }
`;

function run() {
  const r = parseLab('hv.lab.yaml', LAB);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return createLabNetworkRun(r.lab, { seed: 3 });
}

const PROMPT = 'PS C:\\Users\\Administrator> ';

/** What the host printed for one line, without the prompt the run appends. */
function ps(lab: ReturnType<typeof run>, device: string, line: string): string {
  const out = lab.consoleInput(device, line).output;
  expect(out.endsWith(PROMPT)).toBe(true);
  return out.slice(0, -PROMPT.length);
}

describe('Hyper-V host console and lab devices', () => {
  it('builds VMs on their parent hosts from a lab file and prints Get-VM as PowerShell does', () => {
    const lab = run();
    lab.advance(2 * SECOND);
    const out = ps(lab, 'hv1', 'Get-VM');
    expect(out).toMatch(/^Name\s+State\s+CPUUsage\(%\) MemoryAssigned\(M\) Uptime\s+Status$/m);
    expect(out).toMatch(/^----\s+-----\s+-----------\s+-----------------\s+------\s+------$/m);
    expect(out).toMatch(/^web1 Running\s+0\s+1024 00:00:02 Operating normally$/m);
    expect(out).toMatch(/^web2 Running\s+0\s+2048 00:00:02 Operating normally$/m);
    expect(ps(lab, 'hv2', 'get-vm').trim()).toBe('');
    expect(lab.consolePrompt('hv1')).toBe(PROMPT);
  });

  it('shows adapter MACs from the pool of the management address, and toggles spoofing', () => {
    const lab = run();
    lab.advance(4 * SECOND);
    const fl = ps(lab, 'hv1', 'Get-VMNetworkAdapter -VMName web1 | fl MacAddress,MacAddressSpoofing');
    expect(fl).toBe('\nMacAddress         : 00155D011500\nMacAddressSpoofing : Off\n\n\n');
    expect(ps(lab, 'hv1', 'Set-VMNetworkAdapter -VMName web1 -MacAddressSpoofing On')).toBe('');
    expect(ps(lab, 'hv1', 'Get-VMNetworkAdapter -VMName web1 | fl MacAddress,MacAddressSpoofing')).toContain('MacAddressSpoofing : On');
    const table = ps(lab, 'hv1', 'Get-VMNetworkAdapter -VMName web2');
    expect(table).toMatch(/^Network Adapter False\s+web2\s+External\s+00155D011501 \{Ok\}\s+\{10\.0\.0\.12\}$/m);
    const bad = ps(lab, 'hv1', 'Set-VMNetworkAdapter -VMName web1 -MacAddressSpoofing Maybe');
    expect(bad).toMatch(/^Set-VMNetworkAdapter : Cannot bind parameter 'MacAddressSpoofing'/);
    expect(ps(lab, 'hv1', 'Get-VM nope')).toContain('Hyper-V was unable to find a virtual machine with name "nope".');
    expect(ps(lab, 'hv1', 'Get-Foo')).toContain("The term 'Get-Foo' is not recognized");
  });

  it('prints the LACP team and its members', () => {
    const lab = run();
    lab.advance(3 * SECOND);
    const team = ps(lab, 'hv1', 'Get-NetLbfoTeam');
    expect(team).toBe(
      '\nName                   : Team1\nMembers                : {NIC2, NIC1}\nTeamNics               : Team1\nTeamingMode            : Lacp\nLoadBalancingAlgorithm : Dynamic\nStatus                 : Up\n\n\n',
    );
    const members = ps(lab, 'hv1', 'Get-NetLbfoTeamMember');
    expect(members.match(/OperationalStatus\s+: Active/g)).toHaveLength(2);
    expect(members).toContain('TransmitLinkSpeed(Gbps) : 1\n');
    expect(members).toContain('InterfaceDescription    : Intel(R) Ethernet Server Adapter I350-T2 #2');
    expect(members).toContain('FailureReason           : NoFailure');
  });

  it('Move-VM live-migrates and the cluster drains a node, from the lab file', () => {
    const lab = run();
    lab.advance(2 * SECOND);
    const flow = (lab.node('client') as IpHost).ping(parseIpv4('10.0.0.11'), { intervalNs: SECOND / 10 });
    lab.advance(3 * SECOND);
    expect(ps(lab, 'hv1', 'Move-VM web1 hv2')).toBe('');
    expect(ps(lab, 'hv1', 'Move-VM web1 hv2')).toContain('already being migrated');
    const events = lab.advance(10 * SECOND);
    expect(events.map((e) => e.kind)).toEqual(expect.arrayContaining(['migration.start', 'migration.blackout', 'arp.unsolicited', 'migration.end', 'mac.move']));
    expect(ps(lab, 'hv2', 'Get-VM')).toContain('web1 Running');
    expect(flow.probes.filter((p) => p.sentNs > 6 * SECOND && p.sentNs < 9 * SECOND).every((p) => p.result === 'reply')).toBe(true);
    expect(drainNode(lab.net, 'hv1')).toEqual([]);
    lab.advance(20 * SECOND);
    expect((lab.node('hv1') as HypervHost).vms.size).toBe(0);
    expect([...(lab.node('hv2') as HypervHost).vms.keys()].sort()).toEqual(['web1', 'web2']);
  });
});
