/**
 * A router in a running network: the engine's IPv4 stack with forwarding on, programmed from an
 * IOS-like running configuration, with a console that speaks that dialect.
 */
import { CliEngine, type ConfigIssue } from '../../cli/engine.ts';
import type { CliSession, ConsoleCapable } from '../../cli/session.ts';
import type { Network } from '../../core/network.ts';
import { IpHost } from '../../l3/ip-host.ts';
import type { Settings } from '../kind.ts';
import { RouterConsole } from './console.ts';
import { isSubinterface, maskLength, parentOf, RouterConfig } from './config.ts';
import { routerDialect, type ModeData, type RouterState, type RouterTerminal } from './grammar.ts';
import { ROUTER_MAX_PORTS, routerPortNames } from './info.ts';

/** Cisco OUI 00:1E:F7 with the rest from the device name, so every router differs, run after run; each port takes the next address. */
export function routerBaseMac(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return 0x001ef7000000 + (h % 0xfffff) * 0x10;
}

/** IOS sources its own ICMP (echo, errors) with TTL 255. */
export const IOS_TTL = 255;

function hostnameFor(name: string, settings: Settings | undefined): string {
  const h = settings?.['hostname'];
  return typeof h === 'string' && h !== '' ? h : name;
}

export class Router extends IpHost implements ConsoleCapable {
  readonly state: RouterState;
  readonly configIssues: readonly ConfigIssue[];

  constructor(net: Network, name: string, settings: Settings = {}, startupConfig?: string) {
    super(net, name);
    this.forwarding = true;
    // IOS announces its address with one gratuitous ARP and uses it at once: no Windows-style detection.
    this.arpRetryCount = 0;
    this.defaultTtl = IOS_TTL;
    const ports = routerPortNames(settings);
    const base = routerBaseMac(name);
    ports.forEach((p, i) => this.addInterface(p, base + i, 1e9));
    this.state = { config: new RouterConfig(hostnameFor(name, settings), ports), router: this, startup: null };
    this.program();
    this.configIssues = startupConfig ? this.newEngine({ ping: null }).applyConfig(startupConfig) : [];
    this.state.startup = this.state.config.render();
  }

  /** Make the stack match the running configuration: admin states, subinterfaces, addresses, static routes. */
  program(): void {
    const cfg = this.state.config;
    for (const c of cfg.ordered()) {
      let ifc = this.interfaces.find((i) => i.name === c.name);
      if (isSubinterface(c.name)) {
        if (c.dot1q === null) continue;
        if (ifc === undefined) ifc = this.addSubinterface(c.name, parentOf(c.name), c.dot1q);
        this.setInterfaceEnabled(c.name, !c.shutdown);
      } else if (ifc !== undefined) ifc.port.setAdmin(!c.shutdown);
      if (ifc === undefined) continue;
      this.setAddress(ifc.name, c.address);
    }
    // Subinterfaces removed with `no interface` stop carrying traffic.
    for (const ifc of this.interfaces) {
      if (ifc.vlan === 0 || cfg.interfaces.has(ifc.name)) continue;
      this.setInterfaceEnabled(ifc.name, false);
      this.setAddress(ifc.name, null);
    }
    this.routes.removeWhere((r) => r.origin === 'static');
    for (const r of cfg.routes) this.addRoute(r.prefix, maskLength(r.mask) ?? 0, r.nextHop);
  }

  private setAddress(name: string, want: { ip: number; mask: number } | null): void {
    const ifc = this.iface(name);
    const len = want === null ? null : maskLength(want.mask);
    const have = ifc.addrs[0];
    if (have !== undefined && (want === null || have.ip !== want.ip || have.prefix !== len)) this.removeAddress(name, have.ip);
    if (want !== null && len !== null && (have === undefined || have.ip !== want.ip || have.prefix !== len)) this.addAddress(name, want.ip, len);
  }

  private newEngine(term: RouterTerminal): CliEngine<ModeData> {
    return new CliEngine<ModeData>(routerDialect(this.state, term));
  }

  openConsole(): CliSession {
    const term: RouterTerminal = { ping: null };
    return new RouterConsole(this.newEngine(term), term);
  }
}

/** Checks a startup configuration the way the router would load it, without building a network. */
export function checkRouterConfig(_kind: string, text: string, name = 'Router'): ConfigIssue[] {
  const st: RouterState = { config: new RouterConfig(name, routerPortNames({ ports: ROUTER_MAX_PORTS })), router: null, startup: null };
  return new CliEngine<ModeData>(routerDialect(st, { ping: null })).applyConfig(text);
}
