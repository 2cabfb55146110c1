import type { Frame } from '../../core/frame.ts';
import { parseIpv4 } from '../../core/ipv4.ts';
import { SECOND } from '../../core/time.ts';
import type { IpHost } from '../../l3/ip-host.ts';
import type { Lab } from '../../lab/schema.ts';
import { createLabNetworkRun } from '../lab-run.ts';
import { shippedLab } from './labs.ts';

/** The shipped lab with the trunk doubled into an LACP port-channel: ARP, DAD, LACP and pings all run. */
export function determinismLab(): Lab {
  const lab = shippedLab('basic-switching.lab.yaml');
  const config = (base: string | undefined): string =>
    (base ?? '').replace('trunk 24 native 1 allowed 1,10,20', 'channel 1 ports 23-24 mode active rate fast\ntrunk 23 native 1 allowed 1,10,20');
  return {
    ...lab,
    devices: lab.devices.map((d) => (d.kind === 'l2-switch' ? { ...d, config: config(d.config) } : d)),
    links: [...lab.links, { a: 'sw1:port23', b: 'sw2:port23' }],
  };
}

/** FNV-1a over every executed event (time, handler, code and the frame's header), as hex. */
export function eventLogHash(seed: number): { hash: string; events: number } {
  const run = createLabNetworkRun(determinismLab(), { seed, forNs: 30 * SECOND });
  let h = 0x811c9dc5;
  const mix = (x: number): void => {
    h = Math.imul(h ^ (x >>> 0), 0x01000193);
    h = Math.imul(h ^ Math.floor(x / 4294967296), 0x01000193);
  };
  run.net.sched.logHook = (t: number, handler: number, code: number, f: Frame | null) => {
    mix(t);
    mix(handler);
    mix(code);
    if (f !== null) {
      mix(f.dst);
      mix(f.src);
      mix(f.etherType);
      mix(f.size);
      mix(f.vlan);
    }
  };
  run.advance(4 * SECOND);
  const pc1 = run.node('pc1') as IpHost;
  const pc2 = run.node('pc2') as IpHost;
  pc1.ping(parseIpv4('10.0.10.13'), { intervalNs: 100_000_000 });
  pc2.ping(parseIpv4('10.0.20.14'), { intervalNs: 150_000_000 });
  run.advance(10 * SECOND);
  run.net.links.find((l) => l.a.name === 'port24')?.setUp(false);
  run.advance(20 * SECOND);
  run.advance(30 * SECOND);
  return { hash: (h >>> 0).toString(16).padStart(8, '0'), events: run.net.sched.executed };
}
