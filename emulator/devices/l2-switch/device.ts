import { parseMac } from '../../core/mac.ts';
import type { Network } from '../../core/network.ts';
import { hashString } from '../../core/prng.ts';
import { parseVlanList } from '../../l2/bridge-port.ts';
import type { ChannelMode, LoadBalance } from '../../l2/port-channel.ts';
import { EthernetSwitch } from '../../l2/switch.ts';
import type { Settings } from '../kind.ts';
import { l2SwitchPorts } from './info.ts';

/** A problem in a startup configuration, by 1-based line. */
export class SwitchConfigError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

/** The generic managed switch kind: the shared Ethernet switch, configured from a small line syntax. */
export class GenericSwitch extends EthernetSwitch {
  constructor(net: Network, name: string, settings: Settings, config?: string) {
    const ports = l2SwitchPorts(settings);
    // 0e:… locally administered, from the name so a lab gets the same MACs every run; 22 bits of
    // the name's hash leave room for 1023 port MACs after each base
    const baseMac = 0x0e0000000000 + (hashString(name) % 0x3fffff) * 0x400;
    super(net, name, { portNames: ports.map((p) => p.name), speedBps: ports.map((p) => p.speedBps), baseMac });
    if (config) applySwitchConfig(this, config);
  }
}

/** Expand `1-4,7` or `port1,port3` to port names of this switch. */
function portList(sw: EthernetSwitch, text: string, line: number): string[] {
  const out: string[] = [];
  for (const part of text.split(',')) {
    const m = /^(?:port|p)?(\d+)(?:-(?:port|p)?(\d+))?$/i.exec(part.trim());
    if (!m) throw new SwitchConfigError(line, `not a port list: ${text}`);
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    for (let i = lo; i <= hi; i++) {
      if (i < 1 || i > sw.ports.length) throw new SwitchConfigError(line, `no port ${i} (ports 1-${sw.ports.length})`);
      out.push(sw.ports[i - 1].name);
    }
  }
  return out;
}

const LOAD_BALANCE: readonly LoadBalance[] = ['src-mac', 'dst-mac', 'src-dst-mac', 'src-dst-ip', 'src-dst-ip-l4'];

/** Apply configuration lines through the switch's typed configuration API. */
export function applySwitchConfig(sw: EthernetSwitch, text: string): void {
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    const t = raw.replace(/[#!].*$/, '').trim();
    if (t === '') return;
    const w = t.split(/\s+/);
    const opt = (key: string): string | undefined => {
      const k = w.indexOf(key);
      return k >= 0 ? w[k + 1] : undefined;
    };
    const num = (s: string | undefined, what: string): number => {
      const n = Number(s);
      if (s === undefined || !Number.isInteger(n)) throw new SwitchConfigError(line, `expected ${what}`);
      return n;
    };
    try {
      switch (w[0]) {
        case 'vlan':
          sw.createVlan(num(w[1], 'a VLAN id'), opt('name'));
          break;
        case 'access': {
          const vlan = num(opt('vlan'), 'vlan <id>');
          for (const p of portList(sw, w[1] ?? '', line)) sw.setAccess(p, vlan);
          break;
        }
        case 'trunk': {
          const native = opt('native');
          const allowed = opt('allowed');
          for (const p of portList(sw, w[1] ?? '', line)) {
            sw.setTrunk(p, { nativeVlan: native === undefined ? 1 : num(native, 'native <id>'), allowed: allowed === undefined ? 'all' : parseVlanList(allowed) });
          }
          break;
        }
        case 'channel': {
          const id = num(w[1], 'a port-channel number');
          const mode = opt('mode') ?? 'active';
          if (mode !== 'on' && mode !== 'active' && mode !== 'passive') throw new SwitchConfigError(line, 'mode on|active|passive');
          const rate = opt('rate');
          for (const p of portList(sw, opt('ports') ?? '', line)) {
            sw.joinChannel(p, id, mode as ChannelMode);
            if (rate === 'fast' || rate === 'slow') sw.setLacpRate(p, rate);
          }
          break;
        }
        case 'static-mac':
          sw.addStaticMac(num(opt('vlan'), 'vlan <id>'), parseMac(w[1] ?? ''), portList(sw, opt('port') ?? opt('ports') ?? '', line));
          break;
        case 'ageing':
        case 'aging':
          sw.setAgeingTime(num(w[1], 'seconds'));
          break;
        case 'shutdown':
          for (const p of portList(sw, w[1] ?? '', line)) sw.setPortAdmin(p, false);
          break;
        case 'load-balance': {
          const policy = LOAD_BALANCE.find((x) => x === w[1]);
          if (!policy) throw new SwitchConfigError(line, `load-balance ${LOAD_BALANCE.join('|')}`);
          sw.setLoadBalance(policy);
          break;
        }
        default:
          throw new SwitchConfigError(line, `unknown command "${w[0]}"`);
      }
    } catch (e) {
      if (e instanceof SwitchConfigError) throw e;
      throw new SwitchConfigError(line, (e as Error).message);
    }
  });
}
