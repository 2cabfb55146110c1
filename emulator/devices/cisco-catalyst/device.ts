/**
 * A Catalyst switch in a running network: the shared Ethernet switch for forwarding, LACP and
 * MAC learning, driven by an IOS running configuration, with a console that speaks IOS.
 */
import { CliEngine, type ConfigIssue } from '../../cli/engine.ts';
import type { CliSession, ConsoleCapable } from '../../cli/session.ts';
import type { Network } from '../../core/network.ts';
import type { EventHandler } from '../../core/scheduler.ts';
import { SECOND } from '../../core/time.ts';
import { EthernetSwitch } from '../../l2/switch.ts';
import { programChannelMember, programVlans } from '../cisco-common/switch-programming.ts';
import type { Settings } from '../kind.ts';
import { CatalystConfig, type InterfaceConfig } from './config.ts';
import { CatalystConsole } from './console.ts';
import { catalystDialect, type CatalystState, type CatalystSystem, type CatalystTerminal, type ModeData } from './grammar.ts';
import { CATALYST_MODELS, catalystPorts, DEFAULT_BOOT_SECONDS, type CatalystModel } from './info.ts';
import type { MacEntryView, MemberState, PortView, SwitchPlane } from './plane.ts';
import { defaultTemplate, sdmTemplate } from './sdm.ts';
import { CPU_PORT, SVI_MAC_OFFSET, SviRouting } from './svi-routing.ts';

/** Cisco OUI 00:22:BD; the rest from the device name so every switch in a lab differs, run after run. */
export function catalystBaseMac(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return 0x0022bd000000 + (h % 0x1ffff) * 0x80;
}

export function catalystModel(kind: string): CatalystModel {
  const m = CATALYST_MODELS.find((x) => x.kind === kind);
  if (!m) throw new Error(`not a Catalyst kind: ${kind}`);
  return m;
}

/** Programs the shared switch from the IOS configuration, touching only what changed (a VLAN change flushes that port's MACs; a re-join restarts LACP). */
class SwitchProgrammer {
  private readonly applied = new Map<string, string>();
  private readonly statics = new Map<string, { vlan: number; mac: number }>();

  constructor(private readonly sw: EthernetSwitch) {}

  program(cfg: CatalystConfig): void {
    const sw = this.sw;
    sw.setAgeingTime(cfg.agingTime);
    programVlans(sw, this.applied, cfg.vlans);
    for (const id of cfg.portChannels()) sw.createPortChannel(id);

    for (const name of cfg.physical) {
      const c = cfg.interfaces.get(name)!;
      programChannelMember(sw, this.applied, name, c.channelGroup);
      const po = c.channelGroup ? cfg.interfaces.get(`Port-channel${c.channelGroup.id}`) : undefined;
      this.set(`admin:${name}`, String(!c.shutdown && !(po?.shutdown ?? false)), () => sw.setPortAdmin(name, !c.shutdown && !(po?.shutdown ?? false)));
      if (!c.channelGroup) this.switchport(name, c);
    }
    for (const id of cfg.portChannels()) this.switchport(`Port-channel${id}`, cfg.interfaces.get(`Port-channel${id}`)!);

    const wanted = new Map<string, { vlan: number; mac: number; ports: string[] }>();
    for (const s of cfg.staticMacs) {
      if (!cfg.vlans.has(s.vlan)) continue;
      wanted.set(`${s.vlan}/${s.mac}/${s.interfaces.join(',')}`, { vlan: s.vlan, mac: s.mac, ports: s.interfaces });
    }
    for (const [k, s] of this.statics) if (!wanted.has(k)) {
      sw.removeStaticMac(s.vlan, s.mac);
      this.statics.delete(k);
    }
    for (const [k, s] of wanted) if (!this.statics.has(k)) {
      sw.addStaticMac(s.vlan, s.mac, s.ports);
      this.statics.set(k, { vlan: s.vlan, mac: s.mac });
    }
  }

  private switchport(name: string, c: InterfaceConfig): void {
    const want = c.mode === 'trunk' ? `trunk:${c.nativeVlan}:${c.allowed === 'all' ? 'all' : c.allowed.join(',')}` : `access:${c.accessVlan}`;
    this.set(`vlan:${name}`, want, () => {
      if (c.mode === 'trunk') this.sw.setTrunk(name, { nativeVlan: c.nativeVlan, allowed: c.allowed });
      else this.sw.setAccess(name, c.accessVlan);
    });
  }

  private set(key: string, value: string, apply: () => void): void {
    if (this.applied.get(key) === value) return;
    apply();
    this.applied.set(key, value);
  }
}

/** The CLI's view of a managed switch (a stack uses it over its one switch plane), with the switch's own IPv4 stack. */
export function planeOver(sw: EthernetSwitch, baseMac: number, routing: SviRouting | null = null): SwitchPlane {
  const programmer = new SwitchProgrammer(sw);
  return {
    baseMac,
    now: () => sw.net.now,
    program: (cfg) => {
      programmer.program(cfg);
      routing?.program(cfg);
    },
    port(name): PortView | null {
      const p = sw.portByName(name);
      if (!p) return null;
      return { operUp: p.operUp, speedBps: p.speedBps, counters: sw.counters(name), lastChangeNs: p.lastChangeNs };
    },
    lacpMember(name): MemberState {
      for (const ch of sw.portChannels()) for (const m of ch.members) if (m.port === name) return m.state;
      return 'down';
    },
    macTable(): MacEntryView[] {
      // The SVIs' own address, learnt on the way to the CPU, is not a host on a port.
      return sw.macTable().filter((e) => !e.ports.includes(CPU_PORT)).map((e) => ({ vlan: e.vlan, mac: e.mac, isStatic: e.type === 'static', ports: e.ports }));
    },
    clearDynamic: (vlan) => sw.clearDynamicMacs(vlan),
  };
}

/** A plane with nothing under it: for checking a configuration's syntax without a network. */
export function detachedPlane(baseMac: number): SwitchPlane {
  return {
    baseMac,
    now: () => 0,
    program: () => undefined,
    port: () => null,
    lacpMember: () => 'down',
    macTable: () => [],
    clearDynamic: () => undefined,
  };
}

function hostnameFor(name: string, settings: Settings | undefined): string {
  const h = settings?.['hostname'];
  return typeof h === 'string' && h !== '' ? h : name;
}

/** The template in a switch's flash when it powers on: the `sdmTemplate` setting, else the model's default. */
export function flashTemplate(model: CatalystModel, settings: Settings | undefined): string {
  const t = settings?.['sdmTemplate'];
  return typeof t === 'string' && sdmTemplate(model, t) !== undefined ? t : defaultTemplate(model).id;
}

/** A one-shot timer for a device that already uses its own event codes for something else. */
export class BootTimer implements EventHandler {
  private readonly handlerId: number;
  private token = -1;

  constructor(
    private readonly net: Network,
    private readonly fire: () => void,
  ) {
    this.handlerId = net.sched.register(this);
  }

  start(delayNs: number): void {
    this.cancel();
    this.token = this.net.sched.schedule(delayNs, this.handlerId, 0, null);
  }

  cancel(): void {
    if (this.token < 0) return;
    this.net.sched.cancel(this.token);
    this.token = -1;
  }

  onEvent(): void {
    this.token = -1;
    this.fire();
  }
}

/** A configuration with every port shut and nothing else: what the plane runs while the switch boots. */
export function bootingConfig(model: CatalystModel, hostname: string, physical?: readonly string[]): CatalystConfig {
  const c = new CatalystConfig(model, hostname, physical);
  for (const n of c.physical) c.iface(n).shutdown = true;
  return c;
}

export class CatalystSwitch extends EthernetSwitch implements ConsoleCapable, CatalystSystem {
  readonly state: CatalystState;
  /** Problems found in the startup configuration, by line. */
  readonly configIssues: readonly ConfigIssue[];
  private readonly hostname: string;
  private readonly bootNs: number;
  private readonly bootTimer: BootTimer;

  constructor(net: Network, name: string, kind: string, settings?: Settings, startupConfig?: string) {
    const model = catalystModel(kind);
    const ports = catalystPorts(model);
    const baseMac = catalystBaseMac(name);
    super(net, name, { portNames: [...ports.map((p) => p.name), CPU_PORT], speedBps: [...ports.map((p) => p.speedBps), 10e9], baseMac });
    const routing = new SviRouting(net, this, ports.length, baseMac + SVI_MAC_OFFSET);
    this.hostname = hostnameFor(name, settings);
    const boot = settings?.['bootSeconds'];
    this.bootNs = (typeof boot === 'number' ? boot : DEFAULT_BOOT_SECONDS) * SECOND;
    this.bootTimer = new BootTimer(net, () => this.booted());
    const flash = flashTemplate(model, settings);
    const config = new CatalystConfig(model, this.hostname);
    this.state = {
      model, config, plane: planeOver(this, baseMac, routing), startup: null,
      sdm: { current: flash, next: flash }, booting: false, rebooting: false, boots: 0, system: this,
    };
    this.state.plane.program(config);
    this.configIssues = startupConfig ? this.loadStartup(startupConfig) : [];
    this.state.startup = config.render();
  }

  /** Boot-time load: the configuration's `sdm prefer` is the template the switch runs from now on. */
  private loadStartup(text: string): ConfigIssue[] {
    this.state.booting = true;
    try {
      return this.newEngine(null).applyConfig(text);
    } finally {
      this.state.booting = false;
    }
  }

  private newEngine(term: CatalystTerminal | null): CliEngine<ModeData> {
    return new CliEngine<ModeData>(catalystDialect(this.state, term));
  }

  openConsole(): CliSession {
    return new CatalystConsole(this.state, (term) => this.newEngine(term));
  }

  templateStored(): void {}

  /**
   * `reload`: every port drops and the switch's own stack goes quiet at once; after the boot time
   * the switch comes back on the template stored in flash, running its startup configuration.
   * What was not saved is gone.
   */
  reload(): string {
    const st = this.state;
    st.rebooting = true;
    st.config = bootingConfig(st.model, st.config.hostname);
    st.plane.program(st.config);
    st.plane.clearDynamic();
    this.bootTimer.start(this.bootNs);
    this.net.emit('switch.reload', `${this.name}: %SYS-5-RELOAD: Reload requested by console. Reload Reason: Reload command.`, this.name);
    return '\n%SYS-5-RELOAD: Reload requested by console. Reload Reason: Reload command.\n';
  }

  private booted(): void {
    const st = this.state;
    st.sdm.current = st.sdm.next;
    st.config = new CatalystConfig(st.model, this.hostname);
    st.plane.program(st.config);
    if (st.startup !== null) this.loadStartup(st.startup);
    st.startup = st.config.render();
    st.rebooting = false;
    st.boots++;
    this.net.emit('switch.booted', `${this.name}: %SYS-5-RESTART: System restarted (SDM template "${sdmTemplate(st.model, st.sdm.current)?.display ?? st.sdm.current}")`, this.name);
  }
}

/** Checks a startup configuration the way the device would load it, without building a network. */
export function checkCatalystConfig(kind: string, text: string, name = 'Switch'): ConfigIssue[] {
  const model = catalystModel(kind);
  const t = defaultTemplate(model).id;
  const st: CatalystState = {
    model, config: new CatalystConfig(model, name), plane: detachedPlane(catalystBaseMac(name)), startup: null,
    sdm: { current: t, next: t }, booting: true, rebooting: false, boots: 0, system: null,
  };
  return new CliEngine<ModeData>(catalystDialect(st)).applyConfig(text);
}
