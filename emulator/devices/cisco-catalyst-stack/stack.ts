/**
 * A Catalyst 3750 StackWise stack (3750-X and 3750G-12S members): up to nine member switches that are one switch. There is one
 * switch plane under all of them — one MAC address table, one set of VLANs and port-channels, one
 * running configuration, one IOS console — and each member brings its ports into it, named by its
 * member number. A frame entering on member 2 and leaving on member 1 crosses the stack ring
 * inside that one plane; the ring's own bandwidth (32 Gb/s on StackWise Plus) is not modelled.
 *
 * The plane holds ports for all nine member numbers from the start; a member number with no
 * member has none of its ports in the configuration and nothing cabled to them. A member that
 * loses power or is pulled out takes its ports down (carrier lost at both ends, MACs learned on
 * them flushed); the rest of the stack keeps forwarding. When it comes back it boots, then joins
 * as a member and its ports follow their configuration again.
 *
 * The stack's bridge MAC (LACP system ID, `Switch/Stack Mac Address`) is fixed when the plane is
 * built, before any member is known, so it is the stack's own address and stays through master
 * changes, as with `stack-mac persistent timer 0`; by default IOS takes the new master's instead.
 *
 * The stack runs one SDM template, the master's, whatever the members' own flash holds. A member
 * whose hardware cannot run it — a desktop 3750-X under a 3750-12S master on an aggregator
 * template — is in SDM mismatch: listed, not working, its ports down. The master keeps its
 * template; the way out is a template every member runs, stored and reloaded into
 * [V: 3750 SCG ch.8]. Version mismatch, which IOS checks first, cannot arise: every member runs
 * one release here.
 */
import { CliEngine, type ConfigIssue } from '../../cli/engine.ts';
import type { CliSession, ConsoleCapable } from '../../cli/session.ts';
import type { Network } from '../../core/network.ts';
import type { Port } from '../../core/port.ts';
import { SECOND } from '../../core/time.ts';
import { EthernetSwitch } from '../../l2/switch.ts';
import { CatalystConfig } from '../cisco-catalyst/config.ts';
import { CatalystConsole } from '../cisco-catalyst/console.ts';
import { BootTimer, bootingConfig, catalystBaseMac, planeOver } from '../cisco-catalyst/device.ts';
import type { CatalystState, CatalystSystem, CatalystTerminal, ModeData } from '../cisco-catalyst/grammar.ts';
import { CATALYST_3750, type CatalystModel } from '../cisco-catalyst/info.ts';
import { defaultTemplate, resolveTemplate, sdmTemplate, sdmTemplates, supportsTemplate, type SdmChoice } from '../cisco-catalyst/sdm.ts';
import { CPU_PORT, SVI_MAC_OFFSET, SviRouting } from '../cisco-catalyst/svi-routing.ts';
import { findPort, type Settings } from '../kind.ts';
import { DEFAULT_MEMBER_BOOT_SECONDS, MAX_MEMBERS, memberPorts, STACK_KIND } from './info.ts';
import type { StackMember } from './member.ts';
import { stackDialect } from './stack-cli.ts';

/** StackWise's default member priority. */
export const DEFAULT_PRIORITY = 1;
/** The provisioning type IOS writes for a member of this model [U]. */
export function provisionType(model: CatalystModel): string {
  return model.kind === CATALYST_3750.kind ? 'ws-c3750x-48' : 'ws-c3750g-12s';
}

/** Each member's slice of the plane: a 3750-X's ports, the widest layout; a smaller member uses the first of them. */
const PORTS_PER_MEMBER = memberPorts(1).length;

/**
 * The configuration a stack of these members (number and model) starts from: their ports, and a
 * provisioning line for each, as IOS writes one for every member it has seen.
 */
export function stackConfig(hostname: string, members: readonly (readonly [number, CatalystModel])[]): CatalystConfig {
  const sorted = [...members].sort((a, b) => a[0] - b[0]);
  const config = new CatalystConfig(CATALYST_3750, hostname, sorted.flatMap(([n, m]) => memberPorts(n, m).map((p) => p.name)));
  for (const [n, m] of sorted) config.passthrough.push(`switch ${n} provision ${provisionType(m)}`);
  return config;
}

/** One member number's place in the stack. */
interface Seat {
  readonly member: StackMember;
  priority: number;
  /** In its place in the stack (not pulled out). */
  seated: boolean;
  /** Booted and part of the stack: its ports forward. */
  ready: boolean;
  /** Its hardware cannot run the stack's SDM template: in the stack's table, not a working member. */
  mismatch: boolean;
}

export interface StackMemberView {
  readonly number: number;
  readonly name: string;
  readonly mac: number;
  readonly priority: number;
  readonly role: 'Master' | 'Member';
  readonly model: CatalystModel;
  /**
   * `Ready` while part of the stack; `SDM Mismatch` while its hardware cannot run the master's
   * template; `Provisioned` while its configuration waits for it (off, pulled or booting).
   */
  readonly state: 'Ready' | 'Provisioned' | 'SDM Mismatch';
}

/** Members created before their stack (lab order is free), waiting to join it. */
const waiting = new WeakMap<Network, Map<string, StackMember[]>>();

function hostnameFor(name: string, settings: Settings): string {
  const h = settings['hostname'];
  return typeof h === 'string' && h !== '' ? h : name;
}

export class CatalystStack extends EthernetSwitch implements ConsoleCapable, CatalystSystem {
  private readonly seats = new Map<number, Seat>();
  /** What the configuration asks of each port (`shutdown` or not); a port forwards only if its member is ready too. */
  private readonly adminWanted = new Map<string, boolean>();
  private readonly hostname: string;
  private readonly startupConfig: string | undefined;
  private readonly bootNs: number;
  private st: CatalystState | null = null;
  private issues: readonly ConfigIssue[] = [];
  private masterNumber: number | null = null;
  private readonly routing: SviRouting;
  private readonly reloadTimer: BootTimer;
  /**
   * A `sdm prefer` read from the startup configuration while the stack forms (null: `no sdm
   * prefer`): the master boots with it, read on the master's hardware once it is elected.
   */
  private bootChoice: SdmChoice | null | undefined = undefined;

  constructor(net: Network, name: string, settings: Settings, startupConfig?: string) {
    const names: string[] = [];
    const speeds: number[] = [];
    for (let n = 1; n <= MAX_MEMBERS; n++) for (const p of memberPorts(n)) {
      names.push(p.name);
      speeds.push(p.speedBps);
    }
    super(net, name, { portNames: [...names, CPU_PORT], speedBps: [...speeds, 10e9], baseMac: catalystBaseMac(name) });
    this.routing = new SviRouting(net, this, names.length, this.systemMac + SVI_MAC_OFFSET);
    this.reloadTimer = new BootTimer(net, () => this.reloaded());
    this.hostname = hostnameFor(name, settings);
    this.startupConfig = startupConfig;
    const boot = settings['memberBootSeconds'];
    this.bootNs = (typeof boot === 'number' ? boot : DEFAULT_MEMBER_BOOT_SECONDS) * SECOND;
    const early = waiting.get(net)?.get(name) ?? [];
    waiting.get(net)?.delete(name);
    for (const m of early) this.seat(m);
  }

  /** Join `member` to the stack called `parent`, or hold it until that stack is built. */
  static place(net: Network, parent: string | undefined, member: StackMember): void {
    if (parent === undefined) throw new Error(`${member.name} needs a parent: the ${STACK_KIND} it is a member of`);
    const stack = net.node(parent);
    if (stack instanceof CatalystStack) {
      stack.seat(member);
      return;
    }
    if (stack !== undefined) throw new Error(`${member.name}: its parent ${parent} is not a ${STACK_KIND}`);
    let byParent = waiting.get(net);
    if (byParent === undefined) {
      byParent = new Map();
      waiting.set(net, byParent);
    }
    byParent.set(parent, [...(byParent.get(parent) ?? []), member]);
  }

  private seat(member: StackMember): void {
    const n = member.number;
    if (!Number.isInteger(n) || n < 1 || n > MAX_MEMBERS) throw new Error(`${member.name}: stack member number must be 1-${MAX_MEMBERS}, not ${n}`);
    const taken = this.seats.get(n);
    if (taken !== undefined) throw new Error(`${member.name}: member number ${n} of ${this.name} is already ${taken.member.name}`);
    // The running configuration covers the members found when the stack formed.
    if (this.st !== null) throw new Error(`${member.name}: ${this.name} is already running; members join before it starts`);
    this.seats.set(n, { member, priority: DEFAULT_PRIORITY, seated: true, ready: false, mismatch: false });
    // Each member's ports take MACs from its own range, as on the hardware.
    const first = (n - 1) * PORTS_PER_MEMBER;
    for (let k = 0; k < PORTS_PER_MEMBER; k++) this.ports[first + k]!.mac = member.mac + k + 1;
    member.joined(this);
  }

  /**
   * The stack forms: every member there now boots into it, the master is elected and loads the
   * startup configuration. Runs once, on first need (cabling a member's port, a console, start).
   */
  private boot(): CatalystState {
    if (this.st !== null) return this.st;
    const config = stackConfig(this.hostname, this.memberModels());
    const t = defaultTemplate(CATALYST_3750).id;
    const st: CatalystState = {
      model: CATALYST_3750, config, plane: planeOver(this, this.systemMac, this.routing), startup: null,
      sdm: { current: t, next: t }, booting: false, rebooting: false, boots: 0, system: this,
    };
    this.st = st;
    st.plane.program(config);
    this.issues = this.form(this.startupConfig);
    return st;
  }

  private memberModels(): [number, CatalystModel][] {
    return [...this.seats.entries()].map(([n, s]) => [n, s.member.model]);
  }

  /**
   * The members present boot together: the configuration loads, the master is elected, and the
   * stack runs the template in the master's flash (or the startup configuration's `sdm prefer`,
   * read on the master's hardware). Every member runs it; one whose hardware cannot sits out in
   * SDM mismatch.
   */
  private form(text: string | undefined | null): ConfigIssue[] {
    const st = this.st!;
    for (const s of this.seats.values()) {
      s.ready = s.member.powered && s.seated;
      s.mismatch = false;
    }
    // Member priorities live in each member (IOS keeps them outside the running configuration);
    // a startup configuration's `switch N priority P` lines stand for them, so they are read
    // before the election.
    this.bootChoice = undefined;
    st.booting = true;
    let issues: ConfigIssue[];
    try {
      issues = text ? this.newEngine(st, null).applyConfig(text) : [];
    } finally {
      st.booting = false;
    }
    st.startup = st.config.render();
    this.elect();
    const master = this.masterNumber === null ? null : this.seatOf(this.masterNumber).member;
    if (master !== null) {
      if (this.bootChoice !== undefined) {
        const t = this.bootChoice === null ? defaultTemplate(master.model) : resolveTemplate(master.model, this.bootChoice);
        if (t !== undefined) master.sdmTemplate = t.id;
      }
      st.sdm.current = master.sdmTemplate;
      st.sdm.next = master.sdmTemplate;
      for (const s of this.seats.values()) if (s.ready && s.member !== master && !supportsTemplate(s.member.model, st.sdm.current)) this.enterMismatch(s);
    }
    // The plane was programmed before the members were up; each port now follows both.
    for (const n of this.seats.keys()) this.applyMemberPorts(n);
    return issues;
  }

  /** The IOS state of the whole stack (configuration, plane views). */
  get state(): CatalystState {
    return this.boot();
  }

  /** Problems found in the startup configuration, by line. */
  get configIssues(): readonly ConfigIssue[] {
    this.boot();
    return this.issues;
  }

  get master(): number | null {
    this.boot();
    return this.masterNumber;
  }

  private newEngine(st: CatalystState, term: CatalystTerminal | null): CliEngine<ModeData> {
    return new CliEngine<ModeData>(stackDialect(st, this, term));
  }

  /** The console of the stack speaks for all its members, whichever one it is reached through. */
  openConsole(): CliSession {
    const st = this.boot();
    return new CatalystConsole(st, (term) => this.newEngine(st, term));
  }

  // ---- SDM and reload ---------------------------------------------------------------------------

  /**
   * `sdm prefer` on the stack: the master keeps the template for the next boot, and so does every
   * working member whose hardware has it. A member in SDM mismatch is not a working member and
   * keeps its own [P].
   */
  templateStored(choice: SdmChoice | null, id: string): void {
    if (this.st?.booting === true) {
      this.bootChoice = choice;
      return;
    }
    for (const s of this.seats.values()) if (s.ready && supportsTemplate(s.member.model, id)) s.member.sdmTemplate = id;
  }

  /** The stack's templates are its master's hardware's; before there is a master, a 3750-X's words stand for them. */
  templateModel(): CatalystModel {
    return this.masterNumber === null ? CATALYST_3750 : this.seatOf(this.masterNumber).member.model;
  }

  /** `reload` on the stack: every member reboots; the stack forms again from the startup configuration. */
  reload(): string {
    const st = this.boot();
    st.rebooting = true;
    for (const s of this.seats.values()) {
      s.member.cancelBoot();
      s.ready = false;
      s.mismatch = false;
    }
    this.masterNumber = null;
    st.config = bootingConfig(CATALYST_3750, st.config.hostname, st.config.physical);
    st.plane.program(st.config);
    st.plane.clearDynamic();
    this.reloadTimer.start(this.bootNs);
    this.syslog('switch.reload', '%SYS-5-RELOAD: Reload requested by console. Reload Reason: Reload command.', this.name);
    return '\n%SYS-5-RELOAD: Reload requested by console. Reload Reason: Reload command.\n';
  }

  private reloaded(): void {
    const st = this.boot();
    const startup = st.startup;
    st.config = stackConfig(this.hostname, this.memberModels());
    st.plane.program(st.config);
    this.form(startup);
    st.rebooting = false;
    st.boots++;
  }

  /** `reload slot N`: that member alone reboots and joins again (or not) when it is up. */
  reloadSlot(n: number): string | null {
    this.boot();
    const seat = this.seats.get(n);
    if (seat === undefined || !seat.member.powered || !seat.seated) return null;
    this.leave(seat);
    seat.member.startBoot(this.bootNs);
    return '';
  }

  private enterMismatch(seat: Seat): void {
    const n = seat.member.number;
    seat.ready = false;
    seat.mismatch = true;
    this.applyMemberPorts(n);
    const model = seat.member.model;
    // [P] the advice IOS logs after SWITCH_ADDED_SDM (3750 SCG p.8-4): the commands that would
    // put the stack on a template this member runs, the desktop version of the stack's.
    const running = sdmTemplate(this.templateModel(), this.st?.sdm.current ?? '');
    const mine = sdmTemplates(model).find((t) => t.family === 'desktop' && t.words === running?.words) ?? defaultTemplate(model);
    const command = mine.family === 'desktop' ? `sdm prefer ${mine.words} desktop` : `sdm prefer ${mine.words}`;
    const advice = [
      `%STACKMGR-6-SWITCH_ADDED_SDM: Switch ${n} has been ADDED to the stack (SDM_MISMATCH)`,
      '%SDM-6-MISMATCH_ADVISE:',
      `%SDM-6-MISMATCH_ADVISE: System (#${n}) is incompatible with the SDM`,
      '%SDM-6-MISMATCH_ADVISE: template currently running on the stack and',
      '%SDM-6-MISMATCH_ADVISE: will not function unless the stack is',
      `%SDM-6-MISMATCH_ADVISE: running a ${mine.family} template. Issuing`,
      '%SDM-6-MISMATCH_ADVISE: the following commands will put the stack',
      `%SDM-6-MISMATCH_ADVISE: on the "${mine.display}" template:`,
      '%SDM-6-MISMATCH_ADVISE:',
      `%SDM-6-MISMATCH_ADVISE:   "${command}"`,
      '%SDM-6-MISMATCH_ADVISE:   "reload"',
    ];
    this.syslog('stack.member.sdm-mismatch', advice.join('\n'), seat.member.name);
  }

  override start(): void {
    this.boot();
    super.start();
  }

  // ---- ports ----------------------------------------------------------------------------------

  /** Port `name` (any spelling IOS accepts) of member `n`, once the member is in the stack. */
  memberPort(n: number, name: string): Port | undefined {
    const seat = this.seats.get(n);
    if (seat === undefined) return undefined;
    const spec = findPort(memberPorts(n, seat.member.model), name);
    if (spec === undefined) return undefined;
    // Cabling starts the stack, so the configuration has set each port before carrier is reckoned.
    this.boot();
    return super.portByName(spec.name);
  }

  /** Any member's port by any spelling (`Gi2/0/1`), as the stack's CLI names them. */
  override portByName(name: string): Port | undefined {
    const m = /^[a-z -]*?(\d+)\//i.exec(name);
    return m ? this.memberPort(Number(m[1]), name) : undefined;
  }

  /** The configuration's `shutdown` state for a port, held back while the port's member is not ready. */
  override setPortAdmin(ref: string | number, up: boolean): void {
    const bp = this.bridgePortOf(ref);
    this.adminWanted.set(bp.name, up);
    const index = bp.phys?.index ?? -1;
    super.setPortAdmin(ref, up && this.seats.get(Math.floor(index / PORTS_PER_MEMBER) + 1)?.ready === true);
  }

  private applyMemberPorts(n: number): void {
    const seat = this.seats.get(n);
    for (const p of memberPorts(n)) super.setPortAdmin(p.name, (seat?.ready ?? false) && (this.adminWanted.get(p.name) ?? true));
  }

  // ---- members coming and going ----------------------------------------------------------------

  /** The scenario's pull-module on the stack: the member in `bay` (its member number) is taken out. */
  pullModule(bay: number): void {
    const seat = this.seatOf(bay);
    if (!seat.seated) return;
    seat.seated = false;
    this.net.emit('stack.member.pulled', `${this.name}: switch ${bay} (${seat.member.name}) removed from the stack`, seat.member.name);
    this.memberChanged(seat.member);
  }

  /** The scenario's insert-module: the member goes back and boots. */
  insertModule(bay: number): void {
    const seat = this.seatOf(bay);
    if (seat.seated) return;
    seat.seated = true;
    this.net.emit('stack.member.inserted', `${this.name}: switch ${bay} (${seat.member.name}) inserted into the stack`, seat.member.name);
    this.memberChanged(seat.member);
  }

  private seatOf(n: number): Seat {
    const seat = this.seats.get(n);
    if (seat === undefined) throw new Error(`${this.name} has no member number ${n}`);
    return seat;
  }

  /**
   * A member's power or place changed. Gone: it leaves at once, its ports drop, and if it was the
   * master the others elect a new one. Back: it boots, then joins.
   */
  memberChanged(member: StackMember): void {
    this.boot();
    const n = member.number;
    const seat = this.seatOf(n);
    const present = member.powered && seat.seated;
    if (!present) {
      member.cancelBoot();
      this.leave(seat);
      return;
    }
    if (!seat.ready && !seat.mismatch && this.st?.rebooting !== true) member.startBoot(this.bootNs);
  }

  /** The member stops being part of the stack: its ports drop, and a master's place goes to the others. */
  private leave(seat: Seat): void {
    const member = seat.member;
    const n = member.number;
    if (!seat.ready && !seat.mismatch) return;
    const wasReady = seat.ready;
    seat.ready = false;
    seat.mismatch = false;
    this.applyMemberPorts(n);
    this.syslog('stack.member.removed', `%STACKMGR-4-SWITCH_REMOVED: Switch ${n} has been REMOVED from the stack`, member.name);
    if (wasReady && this.masterNumber === n) {
      this.masterNumber = null;
      this.elect();
    }
  }

  /** The member's boot ended: it joins the running stack as a member (a running master stays master). */
  memberBooted(member: StackMember): void {
    const seat = this.seatOf(member.number);
    if (seat.ready || seat.mismatch || !seat.seated || !member.powered || this.st?.rebooting === true) return;
    const st = this.boot();
    if (this.masterNumber !== null && !supportsTemplate(member.model, st.sdm.current)) {
      this.enterMismatch(seat);
      return;
    }
    seat.ready = true;
    this.applyMemberPorts(member.number);
    this.syslog('stack.member.added', `%STACKMGR-4-SWITCH_ADDED: Switch ${member.number} has been ADDED to the stack`, member.name);
    if (this.masterNumber === null) {
      this.elect();
      // A stack with no master left takes the template of the one it elects.
      st.sdm.current = member.sdmTemplate;
      st.sdm.next = member.sdmTemplate;
    }
  }

  /** `switch N priority P`: kept by the member, used at the next election. */
  setPriority(n: number, priority: number): boolean {
    const seat = this.seats.get(n);
    if (seat === undefined) return false;
    seat.priority = priority;
    return true;
  }

  /**
   * StackWise's election, when the stack forms and when the master leaves: among the ready
   * members, the highest member priority wins, then the lowest MAC address. (IOS also weighs
   * start-up time, non-default configuration and feature set before the MAC; members here boot
   * together with one image and one configuration, so those never decide.) A running master is
   * never displaced by a member that joins later.
   */
  private elect(): void {
    if (this.masterNumber !== null) return;
    let best: Seat | null = null;
    for (const s of this.seats.values()) {
      if (!s.ready) continue;
      if (best === null || s.priority > best.priority || (s.priority === best.priority && s.member.mac < best.member.mac)) best = s;
    }
    if (best === null) return;
    this.masterNumber = best.member.number;
    this.syslog('stack.master', `%STACKMGR-5-MASTER_READY: Master Switch ${best.member.number} is READY`, best.member.name);
  }

  private syslog(kind: string, text: string, member: string): void {
    this.net.emit(kind, `${this.name}: ${text}`, member);
  }

  /** The member table `show switch` prints, by member number. */
  stackMembers(): StackMemberView[] {
    this.boot();
    return [...this.seats.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([n, s]) => ({
        number: n,
        name: s.member.name,
        mac: s.member.mac,
        priority: s.priority,
        role: n === this.masterNumber ? 'Master' : 'Member',
        model: s.member.model,
        state: s.ready ? 'Ready' : s.mismatch ? 'SDM Mismatch' : 'Provisioned',
      }));
  }
}
