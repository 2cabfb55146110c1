import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseIpv4 as ip } from '../../core/ipv4.ts';
import { Network } from '../../core/network.ts';
import type { Frame } from '../../core/frame.ts';
import { parseLab } from '../../lab/parse.ts';
import { createLabNetworkRun } from '../../run/lab-run.ts';
import { SECOND } from '../../core/time.ts';
import { checkRouterConfig, Router } from './device.ts';

const PE = `hostname PE1
vrf definition CUST
 rd 65001:1
 address-family ipv4
  route-target export 65001:100
  route-target import 65001:100
 exit-address-family
interface Loopback0
 ip address 10.0.0.1 255.255.255.255
interface GigabitEthernet0/0
 vrf forwarding CUST
 ip address 10.1.11.1 255.255.255.252
 no shutdown
interface GigabitEthernet0/1
 ip address 10.0.15.1 255.255.255.252
 mpls ip
 no shutdown
router bgp 65001
 no bgp default ipv4-unicast
 neighbor 10.0.0.9 remote-as 65001
 neighbor 10.0.0.9 update-source Loopback0
 address-family vpnv4
  neighbor 10.0.0.9 activate
  neighbor 10.0.0.9 route-reflector-client
 exit-address-family
 address-family ipv4 vrf CUST
  neighbor 10.1.11.2 remote-as 65010
  neighbor 10.1.11.2 activate
  maximum-paths eibgp 2
 exit-address-family
`;

function console(r: Router, lines: string[]): string {
  const s = r.openConsole();
  let out = '';
  for (const l of lines) out += s.input(l);
  return out;
}

describe('MPLS VPN configuration on the router', () => {
  it('every router config of the shipped lab loads without a rejected line', () => {
    const lab = fs.readFileSync(path.resolve(import.meta.dirname, '../../../labs/mpls-vpn-rr.lab.yaml'), 'utf8');
    const configs = lab.split('    config: |\n').slice(1).map((c) => {
      const lines = c.split('\n');
      const end = lines.findIndex((l) => !l.startsWith('      '));
      return lines.slice(0, end).map((l) => l.slice(6)).join('\n');
    });
    expect(configs.length).toBe(7);
    for (const c of configs) expect(checkRouterConfig('router', c)).toEqual([]);
  });

  it('renders VRFs, MPLS interfaces and router bgp in IOS order, and reads its own output back', () => {
    const r = new Router(new Network(1), 'pe1', {}, PE);
    const run = r.state.config.render();
    expect(run).toContain('vrf definition CUST\n rd 65001:1\n !\n address-family ipv4\n  route-target export 65001:100\n  route-target import 65001:100\n exit-address-family\n!\n');
    expect(run).toContain('interface GigabitEthernet0/0\n vrf forwarding CUST\n ip address 10.1.11.1 255.255.255.252\n!');
    expect(run).toContain(' ip address 10.0.15.1 255.255.255.252\n mpls ip\n');
    expect(run).toContain(' address-family vpnv4\n  neighbor 10.0.0.9 activate\n  neighbor 10.0.0.9 send-community extended\n  neighbor 10.0.0.9 route-reflector-client\n exit-address-family\n');
    expect(run).toContain(' address-family ipv4 vrf CUST\n  neighbor 10.1.11.2 remote-as 65010\n  neighbor 10.1.11.2 activate\n  maximum-paths eibgp 2\n exit-address-family\n');
    const again = new Router(new Network(1), 'pe1', {}, run);
    expect(again.configIssues).toEqual([]);
    expect(again.state.config.vpn.renderBgp()).toEqual(r.state.config.vpn.renderBgp());
    expect(again.state.config.vpn.renderVrfs()).toEqual(r.state.config.vpn.renderVrfs());
  });

  it('answers as IOS does: a VRF change takes the address off, one BGP process, multipath only in a VRF, an RD is not silently replaced', () => {
    const r = new Router(new Network(1), 'pe1', {}, PE);
    expect(console(r, ['enable', 'conf t', 'interface Gi0/1', 'vrf forwarding CUST'])).toContain('% Interface GigabitEthernet0/1 IP address 10.0.15.1 removed due to enabling VRF CUST');
    expect(r.state.config.interfaces.get('GigabitEthernet0/1')?.address).toBeNull();
    expect(console(r, ['enable', 'conf t', 'router bgp 65002'])).toContain('% BGP is already running; AS is 65001');
    expect(console(r, ['enable', 'conf t', 'router bgp 65001', 'address-family vpnv4', 'maximum-paths eibgp 2'])).toContain('% Only applicable to VRF address families');
    expect(console(r, ['enable', 'conf t', 'vrf definition CUST', 'rd 65001:2'])).toContain('% Do "no rd 65001:1" before redefining a new RD.');
    expect(console(r, ['enable', 'conf t', 'interface Gi0/2', 'vrf forwarding NONE'])).toContain('% VRF NONE not configured');
    expect(console(r, ['enable', 'conf t', 'router bgp 65001', 'address-family ipv4 vrf NONE'])).toContain('%VRF NONE does not exist or does not have a RD');
  });
});

describe('label switching', () => {
  it('pushes [transport, VPN] at the ingress PE; P pops the transport label (PHP) so the egress PE gets the VPN label alone', () => {
    const text = fs.readFileSync(path.resolve(import.meta.dirname, '../../../labs/mpls-vpn-rr.lab.yaml'), 'utf8');
    const parsed = parseLab('lab.yaml', text);
    if (!parsed.ok) throw new Error('the shipped lab parses');
    const run = createLabNetworkRun(parsed.lab, { seed: 1, scenario: 'same-rd' });
    const seen = new Map<string, string[]>();
    const tap = (where: string) => (_t: number, _p: unknown, f: Frame, dir: string): void => {
      const q = f.payload;
      if (dir !== 'rx' || q === null || q.kind !== 'mpls' || q.inner.dst !== ip('192.168.1.10')) return;
      const list = seen.get(where) ?? [];
      list.push(q.labels.map((l) => l.label).join('/'));
      seen.set(where, list);
    };
    run.devicePort('p', 'GigabitEthernet0/2')!.tap = tap('p from pe3');
    run.devicePort('pe1', 'GigabitEthernet0/1')!.tap = tap('pe1 from p');
    run.advance(40 * SECOND);
    expect(f(seen.get('p from pe3'))).toEqual(['16/16']);
    expect(f(seen.get('pe1 from p'))).toEqual(['16']);
  });
});

/** The distinct label stacks seen. */
function f(list: string[] | undefined): string[] {
  return [...new Set(list ?? [])];
}
