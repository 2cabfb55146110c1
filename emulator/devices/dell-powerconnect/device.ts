/**
 * A PowerConnect 54xx in a running network: the shared Ethernet switch for forwarding, LACP and
 * learning, a multicast filtering database with IGMP snooping, both programmed from the Radlan
 * running configuration, and a console that speaks its CLI.
 */
import { CliEngine, type ConfigIssue } from '../../cli/engine.ts';
import type { CliSession, ConsoleCapable } from '../../cli/session.ts';
import { parseIpv4 } from '../../core/ipv4.ts';
import { Network } from '../../core/network.ts';
import { SECOND } from '../../core/time.ts';
import type { IgmpVlanSettings } from '../../l2/igmp-snooping.ts';
import { MulticastFilter, type FilterBridge, type MulticastVlanConfig, type UnregisteredMode } from '../../l2/multicast-filter.ts';
import { EthernetSwitch, sumCounters, type PortCounters, type PortChannelView } from '../../l2/switch.ts';
import type { Settings } from '../kind.ts';
import { PowerConnectConfig, type SwitchportConfig } from './config.ts';
import { powerConnectDialect, type ModeData, type PowerConnectState } from './grammar.ts';
import { POWERCONNECT_MODELS, powerConnectPorts, type PowerConnectModel } from './info.ts';
import type { SwitchView } from './shows.ts';

/** Dell OUI 00:1E:C9; the rest from the device name so every switch in a lab differs, run after run. */
export function powerConnectBaseMac(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return 0x001ec9000000 + (h % 0x1ffff) * 0x80;
}

export function powerConnectModel(kind: string): PowerConnectModel {
  const m = POWERCONNECT_MODELS.find((x) => x.kind === kind);
  if (!m) throw new Error(`not a PowerConnect kind: ${kind}`);
  return m;
}

/** Defaults the kind's settings give every VLAN before its own `ip igmp snooping …` lines. */
interface IgmpDefaults {
  hostTimeout: number;
  mrouterTimeout: number;
  leaveTimeout: number;
  querier: boolean;
  querierAddress: number;
  queryInterval: number;
  unregistered: UnregisteredMode;
}

function igmpDefaults(settings: Settings | undefined): IgmpDefaults {
  const num = (k: string, d: number): number => (typeof settings?.[k] === 'number' ? (settings[k] as number) : d);
  const addr = settings?.['igmp-querier-address'];
  const mode = settings?.['unregistered-multicast'];
  return {
    hostTimeout: num('igmp-host-timeout', 260),
    mrouterTimeout: num('igmp-mrouter-timeout', 300),
    leaveTimeout: num('igmp-leave-timeout', 10),
    querier: settings?.['igmp-querier'] === true,
    querierAddress: typeof addr === 'string' && addr !== '' ? parseIpv4(addr) : 0,
    queryInterval: num('igmp-query-interval', 125),
    unregistered: mode === 'filter-unregistered' || mode === 'forward-all' ? mode : 'forward-unregistered',
  };
}

function hostnameFor(settings: Settings | undefined): string {
  const h = settings?.['hostname'];
  return typeof h === 'string' && h !== '' ? h : 'console';
}

/** Radlan prints errors its own way; the shared engine answers as IOS does. */
function radlanErrors(text: string): string {
  return text
    .replace(/% Unknown command or computer name, or unable to find computer address\n/g, '% Unrecognized command\n')
    .replace(/^ *\^\n% Invalid input detected at '\^' marker\.\n\n/gm, '% Unrecognized command\n')
    .replace(/% Incomplete command\.\n\n/g, '% Incomplete command\n');
}

class RadlanConsole implements CliSession {
  constructor(private readonly engine: CliEngine<ModeData>) {}
  prompt(): string {
    return this.engine.prompt();
  }
  input(line: string): string {
    return radlanErrors(this.engine.input(line));
  }
  complete(partial: string): string[] {
    return this.engine.complete(partial);
  }
  paging(): boolean {
    return this.engine.paging();
  }
  lineAfterHelp(): string {
    return this.engine.lineAfterHelp();
  }
  history(): readonly string[] {
    return this.engine.history();
  }
}

export class PowerConnectSwitch extends EthernetSwitch implements ConsoleCapable, FilterBridge {
  readonly state: PowerConnectState;
  readonly mfdb: MulticastFilter;
  readonly configIssues: readonly ConfigIssue[];
  private readonly igmp: IgmpDefaults;
  private readonly applied = new Map<string, string>();

  constructor(net: Network, name: string, kind: string, settings?: Settings, startupConfig?: string) {
    const model = powerConnectModel(kind);
    const ports = powerConnectPorts(model);
    const baseMac = powerConnectBaseMac(name);
    super(net, name, { portNames: ports.map((p) => p.name), speedBps: ports.map((p) => p.speedBps), baseMac });
    this.igmp = igmpDefaults(settings);
    this.mfdb = new MulticastFilter(this);
    this.multicast = this.mfdb;
    const config = new PowerConnectConfig(model, hostnameFor(settings));
    this.state = { model, config, view: this.switchView(), program: () => this.program(), startup: null };
    this.program();
    this.configIssues = startupConfig ? this.newEngine().applyConfig(startupConfig) : [];
    this.state.startup = config.render();
  }

  private newEngine(): CliEngine<ModeData> {
    return new CliEngine<ModeData>(powerConnectDialect(this.state));
  }

  openConsole(): CliSession {
    return new RadlanConsole(this.newEngine());
  }

  override start(): void {
    super.start();
    this.mfdb.snooping.start();
  }

  // ---- FilterBridge -------------------------------------------------------------------------

  portName(index: number): string {
    return cliName(this.bridgePorts[index]!.name);
  }
  bridgePortCount(): number {
    return this.bridgePorts.length;
  }
  bridgePortCarries(index: number, vid: number): boolean {
    return this.bridgePorts[index]!.carries(vid);
  }

  // ---- programming --------------------------------------------------------------------------

  private bpIndex(name: string): number {
    return this.bridgePortOf(name.startsWith('ch') ? `Port-channel${name.slice(2)}` : name).index;
  }

  private program(): void {
    const cfg = this.state.config;
    this.setAgeingTime(cfg.agingTime);
    for (const [id, name] of cfg.vlans) {
      const want = name ?? String(id);
      if (!this.hasVlan(id) || this.applied.get(`vlan${id}`) !== want) {
        this.createVlan(id, want);
        this.applied.set(`vlan${id}`, want);
      }
    }
    for (const v of this.vlans()) if (!cfg.vlans.has(v.id) && v.id !== 1) {
      this.deleteVlan(v.id);
      this.applied.delete(`vlan${v.id}`);
    }
    for (const id of cfg.lags.keys()) this.createPortChannel(id);
    for (const e of cfg.eth.values()) {
      const want = e.channel ? `${e.channel.id}:${e.channel.mode}` : '';
      if ((this.applied.get(`chan:${e.name}`) ?? '') !== want) {
        if (e.channel) this.joinChannel(e.name, e.channel.id, e.channel.mode === 'auto' ? 'active' : 'on');
        else this.leaveChannel(e.name);
        this.applied.set(`chan:${e.name}`, want);
        this.applied.delete(`vlan:${e.name}`);
      }
      const lagDown = e.channel ? (cfg.lags.get(e.channel.id)?.shutdown ?? false) : false;
      const up = !e.shutdown && !lagDown;
      this.set(`admin:${e.name}`, String(up), () => this.setPortAdmin(e.name, up));
      if (!e.channel) this.switchportTo(e.name, e);
    }
    for (const l of cfg.lags.values()) this.switchportTo(`ch${l.id}`, l);
    this.programMulticast();
  }

  private switchportTo(name: string, c: SwitchportConfig): void {
    const bpName = name.startsWith('ch') ? `Port-channel${name.slice(2)}` : name;
    let want: string;
    let apply: () => void;
    if (c.mode === 'access') {
      want = `access:${c.accessVlan}`;
      apply = () => this.setAccess(bpName, c.accessVlan);
    } else if (c.mode === 'trunk') {
      // A 54xx trunk carries its VLANs tagged; untagged frames land in VLAN 1 [U].
      want = `trunk:${c.trunkAllowed.join(',')}`;
      apply = () => this.setTrunk(bpName, { nativeVlan: 1, allowed: c.trunkAllowed });
    } else {
      // General mode as a trunk whose native VLAN is the PVID; other untagged members leave tagged here.
      const allowed = [...new Set([...c.general.keys(), c.generalPvid])].sort((a, b) => a - b);
      want = `general:${c.generalPvid}:${allowed.join(',')}`;
      apply = () => this.setTrunk(bpName, { nativeVlan: c.generalPvid, allowed });
    }
    this.set(`vlan:${name}`, want, () => {
      apply();
      this.mfdb.snooping.flushPort(this.bpIndex(name));
    });
  }

  private set(key: string, value: string, apply: () => void): void {
    if (this.applied.get(key) === value) return;
    apply();
    this.applied.set(key, value);
  }

  private vlanIgmpSettings(vid: number): IgmpVlanSettings {
    const d = this.igmp;
    const v = this.state.config.vlanIfs.get(vid);
    return {
      hostTimeoutNs: (v?.hostTimeout ?? d.hostTimeout) * SECOND,
      mrouterTimeoutNs: (v?.mrouterTimeout ?? d.mrouterTimeout) * SECOND,
      leaveTimeoutNs: (v?.leaveTimeout ?? d.leaveTimeout) * SECOND,
      querier: v?.querier ?? d.querier,
      querierAddress: v?.querierAddress ?? d.querierAddress,
      queryIntervalNs: d.queryInterval * SECOND,
      queryResponseNs: 10 * SECOND,
      robustness: 2,
    };
  }

  private programMulticast(): void {
    const cfg = this.state.config;
    const vlans = new Map<number, MulticastVlanConfig>();
    const idx = (names: Iterable<string>): number[] => [...names].map((n) => this.bpIndex(n));
    for (const [vid, v] of cfg.vlanIfs) {
      if (!cfg.vlans.has(vid)) continue;
      for (const g of v.groups.values()) for (const n of [...g.ports, ...g.forbidden]) if (n.startsWith('ch')) this.createPortChannel(Number(n.slice(2)));
      vlans.set(vid, {
        mode: v.unregistered ?? this.igmp.unregistered,
        forwardAll: idx(v.forwardAll),
        forbiddenForwardAll: idx(v.forbiddenForwardAll),
        forwardUnregistered: idx(v.forwardUnregistered),
        forbiddenForwardUnregistered: idx(v.forbiddenForwardUnregistered),
        groups: [...v.groups].map(([mac, g]) => ({ mac, ports: idx(g.ports), forbidden: idx(g.forbidden) })),
      });
    }
    this.mfdb.configure(cfg.bridgeMulticastFiltering, vlans, this.igmp.unregistered);
    const snoopVlans = new Set([...cfg.vlans.keys(), ...this.mfdb.snooping.vlanViews().map((v) => v.vlan)]);
    for (const vid of snoopVlans) {
      const on = cfg.igmpSnooping && cfg.vlans.has(vid) && (cfg.vlanIfs.get(vid)?.igmpSnooping ?? false);
      this.mfdb.snooping.configureVlan(vid, on, this.vlanIgmpSettings(vid));
    }
  }

  // ---- what the shows read ------------------------------------------------------------------

  private switchView(): SwitchView {
    const sw = this;
    const names = (idx: readonly number[]): string[] => idx.map((i) => sw.portName(i));
    return {
      now: () => sw.net.now,
      baseMac: sw.systemMac,
      port(name) {
        const p = sw.portByName(name);
        return p ? { operUp: p.operUp, speedBps: p.speedBps, counters: sw.counters(name) } : null;
      },
      channelCounters: (id): PortCounters => sumCounters(sw.state.config.members(id).map((e) => sw.counters(e.name))),
      portChannels: (): PortChannelView[] => sw.portChannels().map((c) => ({ ...c, name: `ch${c.id}` })),
      macTable: () => sw.macTable().map((e) => ({ vlan: e.vlan, mac: e.mac, isStatic: e.type === 'static', port: cliName(e.ports[0] ?? '') })),
      agingSeconds: () => sw.ageingSeconds,
      vlanPorts: () => sw.vlans().map((v) => ({ id: v.id, ports: v.ports.map(cliName) })),
      multicastTable: () => sw.mfdb.table().map((e) => ({ vlan: e.vlan, mac: e.mac, type: e.type, ports: names(e.ports), forbidden: names(e.forbidden) })),
      igmpGroups: () => sw.mfdb.snooping.groups().map((g) => ({ vlan: g.vlan, mac: g.mac, group: g.group, ports: names(g.ports) })),
      igmpVlans: () => {
        const live = new Map(sw.mfdb.snooping.vlanViews().map((v) => [v.vlan, v]));
        return [...sw.state.config.vlans.keys()].sort((a, b) => a - b).map((vid) => {
          const l = live.get(vid);
          return {
            vlan: vid, enabled: l?.enabled ?? false, settings: l?.settings ?? sw.vlanIgmpSettings(vid),
            isQuerier: l?.isQuerier ?? false, otherQuerier: l?.otherQuerier ?? null, mrouterPorts: names(l?.mrouterPorts ?? []),
          };
        });
      },
      unregisteredMode: (vid) => sw.state.config.vlanIfs.get(vid)?.unregistered ?? sw.igmp.unregistered,
      clearDynamic: () => sw.clearDynamicMacs(),
      clearCounters(name) {
        if (name === null) for (const p of sw.ports) p.clearCounters();
        else if (name.startsWith('ch')) for (const e of sw.state.config.members(Number(name.slice(2)))) sw.portByName(e.name)?.clearCounters();
        else sw.portByName(name)?.clearCounters();
      },
      setLacpRate(name, rate) {
        if (sw.state.config.eth.get(name)?.channel) sw.setLacpRate(name, rate);
      },
    };
  }
}

/** The switch's `Port-channel1` is `ch1` on this CLI. */
function cliName(bridgePortName: string): string {
  return bridgePortName.startsWith('Port-channel') ? `ch${bridgePortName.slice('Port-channel'.length)}` : bridgePortName;
}

/** Checks a startup configuration the way the switch would load it, on a throwaway network. */
export function checkPowerConnectConfig(kind: string, text: string): ConfigIssue[] {
  const net = new Network(1);
  return new PowerConnectSwitch(net, 'check', kind, {}, text).configIssues.slice();
}
