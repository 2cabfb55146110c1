/**
 * Routing and Remote Access's "RIP Version 2 for Internet Protocol" on a Windows Server: which
 * interfaces RIP runs on (the NICs by their Windows names, and the MS Loopback adapter that holds
 * the /32 service address), what each announces and accepts, and the RRAS timers; the shared RIP
 * engine does the protocol. What netsh prints for it lives here too.
 *
 * Modelled choices [U]: RRAS keeps up to four equal-cost routes but the Windows stack forwards on
 * one; a route that expired is no longer used for forwarding; timers are per server, not per
 * interface; the announce filter offers "all routes" (the RRAS default) or only the server's own
 * addresses (the field note's advice: the loopback, and the NIC subnets split horizon lets through).
 */
import { formatIpv4, parseIpv4, prefixMask } from '../../core/ipv4.ts';
import type { Network } from '../../core/network.ts';
import type { Ipv4Packet } from '../../core/packets.ts';
import { SECOND } from '../../core/time.ts';
import type { IpHost, IpInterface } from '../../l3/ip-host.ts';
import { RipSpeaker, RRAS_RIP_TIMERS, type RipLink, type RipOptions, type RipTimers } from '../../l3/rip.ts';
import { isRipMessage, RIP_GROUP, RIP_PORT } from '../../wire/rip.ts';
import { windowsAdapterName } from './adapters.ts';

/** The connection name Windows gives the MS Loopback adapter in this model. */
export const LOOPBACK_NAME = 'Loopback';

export type RipAnnounce = 'none' | 'rip2';
export type RipAccept = 'none' | 'rip2';

export interface RrasRipInterface {
  /** Windows connection name: `Ethernet`, `Ethernet 2`, `Loopback`. */
  readonly name: string;
  announce: RipAnnounce;
  accept: RipAccept;
}

export interface RrasHooks {
  transmit(ifc: IpInterface, pkt: Ipv4Packet): void;
}

export class RrasRip {
  readonly speaker: RipSpeaker;
  readonly interfaces: RrasRipInterface[] = [];
  timers: RipTimers = RRAS_RIP_TIMERS;
  announceOwnOnly = false;
  /** The MS Loopback adapter's addresses (the service address, a /32). */
  readonly loopback: number[] = [];

  constructor(
    private readonly host: IpHost,
    net: Network,
    name: string,
    hooks: RrasHooks,
  ) {
    this.speaker = new RipSpeaker(
      {
        net,
        name,
        random: net.random.forId(`${name}/rras-rip`),
        routes: host.routes,
        transmit: (ifc, pkt) => hooks.transmit(ifc, pkt),
        joinGroup: (ifc) => host.joinGroup(RIP_GROUP, ifc.name),
        leaveGroup: (ifc) => host.leaveGroup(RIP_GROUP, ifc.name),
        hasBetterRoute: (prefix, length) => host.routes.list().some((r) => r.prefix === prefix && r.length === length && r.origin !== 'rip'),
      },
      this.options(),
    );
    host.bindUdp(RIP_PORT, (d, src) => {
      if (isRipMessage(d.data)) this.speaker.receive(d.data, src);
    });
  }

  private options(): RipOptions {
    const own = (prefix: number, length: number): boolean =>
      (length === 32 && this.loopback.includes(prefix)) || this.host.interfaces.some((i) => i.addrs.some((a) => a.prefix === length && ((a.ip & prefixMask(a.prefix)) >>> 0) === prefix));
    return { timers: this.timers, maxPaths: 4, installPaths: 1, forwardWhileInvalid: false, announceFilter: this.announceOwnOnly ? own : undefined };
  }

  /** The stack interface a Windows connection name denotes; null for the loopback adapter or an unknown name. */
  private stackInterface(name: string): IpInterface | null {
    return this.host.interfaces.find((i) => windowsAdapterName(i.name).toLowerCase() === name.toLowerCase()) ?? null;
  }

  isKnownName(name: string): boolean {
    return name.toLowerCase() === LOOPBACK_NAME.toLowerCase() || this.stackInterface(name) !== null;
  }

  find(name: string): RrasRipInterface | undefined {
    return this.interfaces.find((i) => i.name.toLowerCase() === name.toLowerCase());
  }

  addLoopbackAddress(ip: number): void {
    if (!this.loopback.includes(ip)) this.loopback.push(ip);
    this.host.addLoopback(ip);
    this.program();
  }

  add(name: string): RrasRipInterface {
    const canonical = name.toLowerCase() === LOOPBACK_NAME.toLowerCase() ? LOOPBACK_NAME : windowsAdapterName((this.stackInterface(name) as IpInterface).name);
    let i = this.find(canonical);
    if (i === undefined) {
      i = { name: canonical, announce: 'rip2', accept: 'rip2' };
      this.interfaces.push(i);
    }
    this.program();
    return i;
  }

  remove(name: string): boolean {
    const at = this.interfaces.findIndex((i) => i.name.toLowerCase() === name.toLowerCase());
    if (at < 0) return false;
    this.interfaces.splice(at, 1);
    this.program();
    return true;
  }

  program(): void {
    const links: RipLink[] = [];
    for (const i of this.interfaces) {
      if (i.name === LOOPBACK_NAME) {
        links.push({ name: i.name, ifc: null, networks: this.loopback.map((ip) => ({ prefix: ip, length: 32 })), send: false, receive: false });
        continue;
      }
      const ifc = this.stackInterface(i.name);
      if (ifc !== null) links.push({ name: i.name, ifc, networks: [], send: i.announce !== 'none', receive: i.accept !== 'none' });
    }
    this.speaker.configure(this.interfaces.length > 0, links, this.options());
  }

  // ---- netsh output [U: layout from the RRAS console's fields] ----------------------------------

  showInterface(only: string | null): string {
    const t = this.timers;
    const out: string[] = [];
    for (const i of this.interfaces) {
      if (only !== null && i.name.toLowerCase() !== only.toLowerCase()) continue;
      out.push(
        '',
        `RIP Interface Configuration for ${i.name}`,
        '------------------------------------------------------------------',
        `Metric                           : 1`,
        `Update Mode                      : Periodic`,
        `Announce                         : ${i.announce === 'none' ? 'Disabled' : 'RIP Version 2'}`,
        `Accept                           : ${i.accept === 'none' ? 'Disabled' : 'RIP Version 2'}`,
        `Expire                           : ${t.invalidNs / SECOND}`,
        `Remove                           : ${(t.flushNs - t.invalidNs) / SECOND}`,
        `Update                           : ${t.updateNs / SECOND}`,
        `Authentication Mode              : No Authentication`,
        `Route Tag                        : 0`,
        `Unicast Mode                     : Also broadcast/multicast`,
        `Accept Filter Mode               : Disabled`,
        `Announce Filter Mode             : ${this.announceOwnOnly ? 'Include' : 'Disabled'}`,
        `Split Horizon                    : Enabled`,
        `Poison Reverse                   : Enabled`,
        `Triggered Updates                : Enabled`,
      );
    }
    if (out.length === 0) return only === null ? '\nNo interfaces are configured for RIP.\n\n' : `\nThe interface ${only} is not configured for RIP.\n\n`;
    return out.join('\n') + '\n\n';
  }

  showGlobal(): string {
    return [
      '',
      'RIP Global Configuration',
      '------------------------------------------------------------------',
      'Logging Level                    : Errors only',
      'Maximum Receive Queue Size       : 1048576 bytes',
      'Maximum Send Queue Size          : 1048576 bytes',
      'Minimum Triggered Update interval: 5 seconds',
      'Peer Filter Mode                 : Disable',
      'Number of Peer Filters           : 0',
      '',
      '',
    ].join('\n');
  }
}

/** Arguments as cmd.exe splits them: spaces separate, double quotes keep a name with spaces together. */
export function splitQuoted(line: string): string[] {
  const out: string[] = [];
  const re = /(\S*?)"([^"]*)"(\S*)|(\S+)/g;
  for (let m = re.exec(line); m !== null; m = re.exec(line)) out.push(m[4] ?? `${m[1]}${m[2]}${m[3]}`);
  return out;
}

/** `key=value` or a positional value, as netsh takes its parameters. */
function param(args: string[], key: string, position: number): string | undefined {
  const k = `${key.toLowerCase()}=`;
  for (const a of args) if (a.toLowerCase().startsWith(k)) return a.slice(k.length);
  const positional = args.filter((a) => !a.includes('='));
  return positional[position];
}

const OK = 'Ok.\n\n';

/**
 * `netsh routing ip rip …` and `netsh interface ip add address "Loopback" …`; null when the line is
 * not one of these, so the shell's own netsh answers it.
 */
export function rrasNetsh(rras: RrasRip, raw: string): string | null {
  const args = splitQuoted(raw);
  const words = args.map((a) => a.toLowerCase());
  const at = (i: number, ...w: string[]): boolean => w.includes(words[i] ?? '');
  if (at(0, 'interface', 'int') && at(1, 'ip', 'ipv4') && at(2, 'add') && at(3, 'address')) {
    const rest = args.slice(4);
    const name = param(rest, 'name', 0);
    const addr = param(rest, 'address', 1) ?? param(rest, 'addr', 1);
    const mask = param(rest, 'mask', 2);
    if (name === undefined || name.toLowerCase() !== LOOPBACK_NAME.toLowerCase()) return null;
    if (addr === undefined) return 'The syntax supplied for this command is not valid. Check help for the correct syntax.\n\n';
    if (mask !== undefined && mask !== '255.255.255.255') return 'The MS Loopback adapter takes a host address here: use mask 255.255.255.255.\n\n';
    try {
      rras.addLoopbackAddress(parseIpv4(addr));
    } catch {
      return `${addr} is not an acceptable value for addr.\nThe parameter is incorrect.\n\n`;
    }
    return '\n';
  }
  if (!(at(0, 'routing') && at(1, 'ip') && at(2, 'rip'))) return null;
  const verb = words[3] ?? '';
  const what = words[4] ?? '';
  const rest = args.slice(5);
  if (verb === 'show' && what === 'global') return rras.showGlobal();
  if (verb === 'show' && what === 'interface') return rras.showInterface(param(rest, 'name', 0) ?? null);
  if (what !== 'interface') return null;
  const name = param(rest, 'name', 0);
  if (name === undefined) return 'The syntax supplied for this command is not valid. Check help for the correct syntax.\n\n';
  if (!rras.isKnownName(name)) return `The interface ${name} does not exist.\n\n`;
  if (verb === 'add') {
    rras.add(name);
    return OK;
  }
  if (verb === 'delete') return rras.remove(name) ? OK : `The interface ${name} is not configured for RIP.\n\n`;
  if (verb === 'set') {
    const i = rras.find(name) ?? rras.add(name);
    const announce = param(rest, 'announce', 99)?.toLowerCase();
    const accept = param(rest, 'accept', 99)?.toLowerCase();
    const mode = (v: string | undefined): RipAnnounce | null | undefined => (v === undefined ? undefined : v === 'none' ? 'none' : v === 'rip2' ? 'rip2' : null);
    const a = mode(announce);
    const c = mode(accept);
    if (a === null || c === null) return 'Only none and rip2 are modelled for announce and accept.\n\n';
    if (a !== undefined) i.announce = a;
    if (c !== undefined) i.accept = c;
    const secs = (k: string): number | undefined => {
      const v = param(rest, k, 99);
      return v === undefined ? undefined : Number(v) * SECOND;
    };
    const expire = secs('expire');
    const removeAfter = secs('remove');
    const update = secs('update');
    if (expire !== undefined || removeAfter !== undefined || update !== undefined) {
      const e = expire ?? rras.timers.invalidNs;
      rras.timers = { updateNs: update ?? rras.timers.updateNs, invalidNs: e, holddownNs: 0, flushNs: e + (removeAfter ?? rras.timers.flushNs - rras.timers.invalidNs) };
    }
    rras.program();
    return OK;
  }
  return null;
}

/** `route print -4`: the IPv4 route table with each route's gateway, interface address and metric, RIP's included. */
export function routePrintText(host: IpHost, rras: RrasRip | null): string {
  const rows: string[] = [];
  const fmt = (dest: number, len: number, gw: string, ifAddr: string, metric: number): string =>
    `${formatIpv4(dest).padStart(18)}${formatIpv4(prefixMask(len) >>> 0).padStart(17)}${gw.padStart(19)}${ifAddr.padStart(16)}${String(metric).padStart(7)}`;
  const addrOf = (ifc: IpInterface | undefined): string => formatIpv4(ifc?.addrs.find((a) => a.state === 'preferred')?.ip ?? 0);
  for (const r of host.routeList()) {
    if (r.origin === 'local') {
      rows.push(fmt(r.prefix, 32, 'On-link', formatIpv4(r.prefix), 306));
      continue;
    }
    const ifc = r.iface >= 0 ? host.interfaces[r.iface] : host.interfaces.find((i) => i.addrs.some((a) => a.prefix < 32 && ((a.ip ^ r.nextHop) & prefixMask(a.prefix)) === 0));
    if (ifc !== undefined && !ifc.up) continue;
    if (r.origin === 'connected') {
      rows.push(fmt(r.prefix, r.length, 'On-link', addrOf(ifc), 266));
      for (const a of ifc?.addrs ?? []) if (a.state === 'preferred' && a.prefix < 32 && ((a.ip & prefixMask(a.prefix)) >>> 0) === r.prefix) rows.push(fmt(a.ip, 32, 'On-link', formatIpv4(a.ip), 266));
      continue;
    }
    const rip = r.origin === 'rip' ? rras?.speaker.routeList().find((x) => x.prefix === r.prefix && x.length === r.length) : undefined;
    // RRAS adds the hop count to the interface metric [U].
    rows.push(fmt(r.prefix, r.length, formatIpv4(r.nextHop), addrOf(ifc), (rip?.metric ?? 0) + 266));
  }
  const line = '==========================================================================='; 
  return [
    line,
    'IPv4 Route Table',
    line,
    'Active Routes:',
    'Network Destination        Netmask          Gateway       Interface  Metric',
    ...rows,
    line,
    'Persistent Routes:',
    '  None',
    '',
  ].join('\n') + '\n';
}
