import { describe, expect, it } from 'vitest';
import { Network } from '../../core/network.ts';
import { SECOND } from '../../core/time.ts';
import { checkRouterConfig, Router } from './device.ts';

const LINK = { rateBps: 1e9, delayNs: 1000 };

const R1 = `hostname R1
interface Loopback0
 ip address 10.255.0.1 255.255.255.255
interface GigabitEthernet0/0
 ip address 10.0.12.1 255.255.255.252
 no shutdown
interface GigabitEthernet0/1
 ip address 10.0.13.1 255.255.255.252
 no shutdown
router rip
 version 2
 network 10.0.0.0
 no auto-summary
`;

function peer(name: string, a: string, b: string, stub: string): string {
  return `hostname ${name}
interface GigabitEthernet0/0
 ip address ${a} 255.255.255.252
 no shutdown
interface GigabitEthernet0/1
 ip address ${b} 255.255.255.0
 no shutdown
router rip
 version 2
 passive-interface GigabitEthernet0/1
 network 10.0.0.0
 network ${stub}
 no auto-summary
`;
}

/** R1 between R2 and R3; both of those have the same stub LAN 10.9.0.0/24, so R1 has two equal paths to it. */
function triangle() {
  const net = new Network(11);
  const r1 = new Router(net, 'r1', {}, R1);
  const r2 = new Router(net, 'r2', {}, peer('R2', '10.0.12.2', '10.9.0.2', '10.0.0.0'));
  const r3 = new Router(net, 'r3', {}, peer('R3', '10.0.13.2', '10.9.0.3', '10.0.0.0'));
  net.connect(r1.ports[0], r2.ports[0], LINK);
  net.connect(r1.ports[1], r3.ports[0], LINK);
  net.connect(r2.ports[1], r3.ports[1], LINK);
  net.start();
  return { net, r1, r2, r3 };
}

function cli(r: Router, ...lines: string[]): string {
  const s = r.openConsole();
  s.input('enable');
  s.input('terminal length 0');
  let out = '';
  for (const l of lines) out = s.input(l);
  return out;
}

describe('router rip on the IOS router', () => {
  it('accepts the configuration the field note asks for and renders it back', () => {
    expect(checkRouterConfig('router', R1 + ' timers basic 5 15 15 20\n passive-interface GigabitEthernet0/1\n')).toEqual([]);
    const { r1 } = triangle();
    expect(cli(r1, 'show running-config')).toContain('router rip\n version 2\n network 10.0.0.0\n no auto-summary\n!');
  });

  it('shows R routes with [120/n], both equal-cost paths, their age and interface', () => {
    const { net, r1 } = triangle();
    net.runUntil(12 * SECOND);
    const out = cli(r1, 'show ip route');
    expect(out).toMatch(/^R {8}10\.9\.0\.0\/24 \[120\/1\] via 10\.0\.1[23]\.2, 00:00:\d\d, GigabitEthernet0\/[01]\n {21}\[120\/1\] via 10\.0\.1[23]\.2, 00:00:\d\d, GigabitEthernet0\/[01]$/m);
    expect(cli(r1, 'show ip rip database')).toMatch(/^10\.9\.0\.0\/24\n {4}\[1\] via 10\.0\.12\.2, 00:00:\d\d, GigabitEthernet0\/0\n {4}\[1\] via 10\.0\.13\.2/m);
    expect(cli(r1, 'show ip rip database')).toContain('10.255.0.1/32    directly connected, Loopback0');
  });

  it('show ip protocols gives the timers, the networks and who it hears', () => {
    const { net, r1, r2 } = triangle();
    cli(r2, 'configure terminal', 'router rip', 'timers basic 5 15 15 20', 'end');
    net.runUntil(12 * SECOND);
    const out = cli(r1, 'show ip protocols');
    expect(out).toContain('Routing Protocol is "rip"');
    expect(out).toMatch(/Sending updates every 30 seconds, next due in \d+ seconds/);
    expect(out).toContain('Invalid after 180 seconds, hold down 180, flushed after 240');
    expect(out).toContain('Automatic network summarization is not in effect');
    expect(out).toMatch(/Routing Information Sources:\n {4}Gateway {9}Distance {6}Last Update\n {4}10\.0\.12\.2 +120 +00:00:\d\d\n {4}10\.0\.13\.2 +120 /);
    expect(cli(r2, 'show ip protocols')).toContain('Sending updates every 5 seconds');
    expect(cli(r2, 'show ip protocols')).toContain('Passive Interface(s):\n    GigabitEthernet0/1');
  });

  it('a passive interface sends nothing but its network is still announced elsewhere', () => {
    const { net, r1, r2 } = triangle();
    net.runUntil(12 * SECOND);
    expect(r2.rip.linkList().find((l) => l.name === 'GigabitEthernet0/1')?.send).toBe(false);
    expect(r1.rip.routeList().some((r) => r.prefix === 0x0a090000)).toBe(true);
  });
});
