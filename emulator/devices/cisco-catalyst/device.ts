/**
 * A Catalyst switch in a running network: the shared Ethernet switch for forwarding, LACP and
 * MAC learning, driven by an IOS running configuration, with a console that speaks IOS.
 */
import { CliEngine, type ConfigIssue } from '../../cli/engine.ts';
import type { CliSession, ConsoleCapable } from '../../cli/session.ts';
import type { Network } from '../../core/network.ts';
import { EthernetSwitch } from '../../l2/switch.ts';
import type { Settings } from '../kind.ts';
import { CatalystConfig, type InterfaceConfig } from './config.ts';
import { catalystDialect, type CatalystState, type ModeData } from './grammar.ts';
import { CATALYST_MODELS, catalystPorts, type CatalystModel } from './info.ts';
import type { MacEntryView, MemberState, PortView, SwitchPlane } from './plane.ts';

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
    for (const [id, name] of cfg.vlans) if (!sw.hasVlan(id) || this.applied.get(`vlan${id}`) !== name) {
      sw.createVlan(id, name);
      this.applied.set(`vlan${id}`, name);
    }
    for (const v of sw.vlans()) if (!cfg.vlans.has(v.id) && v.id !== 1) {
      sw.deleteVlan(v.id);
      this.applied.delete(`vlan${v.id}`);
    }
    for (const id of cfg.portChannels()) sw.createPortChannel(id);

    for (const name of cfg.physical) {
      const c = cfg.interfaces.get(name)!;
      const want = c.channelGroup ? `${c.channelGroup.id}:${c.channelGroup.mode}` : '';
      const key = `chan:${name}`;
      if ((this.applied.get(key) ?? '') !== want) {
        if (c.channelGroup) sw.joinChannel(name, c.channelGroup.id, c.channelGroup.mode);
        else sw.leaveChannel(name);
        this.applied.set(key, want);
        // A port leaving a bundle gets its own VLAN settings back.
        this.applied.delete(`vlan:${name}`);
      }
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

/** The CLI's view of a managed switch (a stack uses it over its one switch plane). */
export function planeOver(sw: EthernetSwitch, baseMac: number): SwitchPlane {
  const programmer = new SwitchProgrammer(sw);
  return {
    baseMac,
    now: () => sw.net.now,
    program: (cfg) => programmer.program(cfg),
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
      return sw.macTable().map((e) => ({ vlan: e.vlan, mac: e.mac, isStatic: e.type === 'static', ports: e.ports }));
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

export class CatalystSwitch extends EthernetSwitch implements ConsoleCapable {
  readonly state: CatalystState;
  /** Problems found in the startup configuration, by line. */
  readonly configIssues: readonly ConfigIssue[];

  constructor(net: Network, name: string, kind: string, settings?: Settings, startupConfig?: string) {
    const model = catalystModel(kind);
    const ports = catalystPorts(model);
    const baseMac = catalystBaseMac(name);
    super(net, name, { portNames: ports.map((p) => p.name), speedBps: ports.map((p) => p.speedBps), baseMac });
    const config = new CatalystConfig(model, hostnameFor(name, settings));
    this.state = { model, config, plane: planeOver(this, baseMac), startup: null };
    this.state.plane.program(config);
    this.configIssues = startupConfig ? this.newEngine().applyConfig(startupConfig) : [];
    this.state.startup = config.render();
  }

  private newEngine(): CliEngine<ModeData> {
    return new CliEngine<ModeData>(catalystDialect(this.state));
  }

  openConsole(): CliSession {
    return this.newEngine();
  }
}

/** Checks a startup configuration the way the device would load it, without building a network. */
export function checkCatalystConfig(kind: string, text: string, name = 'Switch'): ConfigIssue[] {
  const model = catalystModel(kind);
  const st: CatalystState = { model, config: new CatalystConfig(model, name), plane: detachedPlane(catalystBaseMac(name)), startup: null };
  return new CliEngine<ModeData>(catalystDialect(st)).applyConfig(text);
}
