/**
 * Interface configuration rules IOS and NX-OS apply alike: which interfaces a config-if line acts
 * on, the edits of a trunk's allowed VLAN list, and a port joining or leaving a bundle. Each
 * dialect brings its own help texts, messages and interface model.
 */
import type { ParamType } from '../../cli/params.ts';
import type { CommandContext, CommandSpec } from '../../cli/tree.ts';

/** A configured interface, as far as these rules read it. */
export interface SwitchportConfig<M extends string> {
  readonly name: string;
  allowed: readonly number[] | 'all';
  channelGroup: { id: number; mode: M } | null;
}

/** A running configuration's interfaces, as far as these rules read them. */
export interface InterfaceTable<I> {
  readonly interfaces: ReadonlyMap<string, I>;
  /** The interface's configuration, made on first use. */
  iface(name: string): I;
  /** The members of bundle `id`. */
  members(id: number): I[];
}

/** The mode data of a config-if mode: the interfaces it configures; other modes carry other data. */
type ModeData = { readonly kind: string; readonly names?: readonly string[] } | null;

/**
 * The interfaces a config-if line applies to. With `propagate`, a port-channel's members follow
 * it, as a bundle and its members carry the same switchport settings.
 */
export function selectedInterfaces<I>(data: ModeData, table: InterfaceTable<I>, portChannel: string, propagate: boolean): I[] {
  if (!data || data.kind !== 'if' || !data.names) return [];
  const out: I[] = [];
  for (const n of data.names) {
    out.push(table.iface(n));
    if (propagate && n.startsWith(portChannel)) out.push(...table.members(Number(n.slice(portChannel.length))));
  }
  return out;
}

const ALL_VLANS: readonly number[] = Array.from({ length: 4094 }, (_, k) => k + 1);

/**
 * `switchport trunk allowed vlan` in its forms: a list, all, none, add, remove, except, and `no`.
 * A list that comes to every VLAN is held as `all`, so the configuration prints as the switch's does.
 * `edit` applies a change to the interfaces the line acts on and reprograms the switch.
 */
export function trunkAllowedCommands<D, I extends SwitchportConfig<string>>(
  help: Readonly<Record<string, string>>,
  list: ParamType,
  edit: (c: CommandContext<D>, f: (ic: I) => void) => void,
): CommandSpec<D>[] {
  const allowedEdit = (c: CommandContext<D>, f: (cur: readonly number[]) => readonly number[] | 'all'): void =>
    edit(c, (ic) => {
      const cur = ic.allowed === 'all' ? ALL_VLANS : ic.allowed;
      const next = f(cur);
      ic.allowed = next !== 'all' && next.length === 4094 ? 'all' : next;
    });
  return [
    { syntax: 'switchport trunk allowed vlan $list', help, params: { list }, run: (c) => allowedEdit(c, () => c.args.ids('list')) },
    { syntax: 'switchport trunk allowed vlan all', help, run: (c) => allowedEdit(c, () => 'all') },
    { syntax: 'switchport trunk allowed vlan none', help, run: (c) => allowedEdit(c, () => []) },
    { syntax: 'no switchport trunk allowed vlan', help, run: (c) => allowedEdit(c, () => 'all') },
    { syntax: 'switchport trunk allowed vlan add $list', help, params: { list }, run: (c) => allowedEdit(c, (cur) => [...new Set([...cur, ...c.args.ids('list')])].sort((a, b) => a - b)) },
    { syntax: 'switchport trunk allowed vlan remove $list', help, params: { list }, run: (c) => allowedEdit(c, (cur) => cur.filter((v) => !c.args.ids('list').includes(v))) },
    { syntax: 'switchport trunk allowed vlan except $list', help, params: { list }, run: (c) => allowedEdit(c, () => ALL_VLANS.filter((v) => !c.args.ids('list').includes(v))) },
  ];
}

/** What a dialect says and does around `channel-group`. */
export interface ChannelGroupRules<I> {
  readonly table: InterfaceTable<I>;
  /** The bundle's interface name before its number. */
  readonly portChannel: string;
  /** Whether the interface may join a bundle, and the refusal when one may not. */
  readonly eligible: (ic: I) => boolean;
  readonly notEligible: string;
  /** The refusal when a static port would join an LACP bundle, or the other way round. */
  readonly mismatch: (id: number, ic: I) => string;
  /** Make `to` switch as `from` does. */
  readonly copySwitchport: (from: I, to: I) => void;
  /** What the switch says when the bundle interface is made, if anything. */
  readonly created?: (id: number) => string;
  readonly program: () => void;
}

/**
 * `channel-group $n … mode` on `ifs`, or its `no` form. A bundle takes static or LACP members,
 * never both; a new bundle takes its switchport settings from its first member, and a port
 * joining a bundle that exists takes the bundle's.
 */
export function setChannelGroup<D, M extends string, I extends SwitchportConfig<M>>(c: CommandContext<D>, ifs: readonly I[], mode: M, rules: ChannelGroupRules<I>): void {
  if (ifs.some((ic) => !rules.eligible(ic))) {
    c.fail(rules.notEligible);
    return;
  }
  if (c.no) {
    for (const ic of ifs) ic.channelGroup = null;
    rules.program();
    return;
  }
  const id = c.args.int('n');
  const existing = rules.table.members(id).filter((m) => !ifs.includes(m));
  for (const ic of ifs) {
    if (existing.length > 0 && (existing[0]!.channelGroup!.mode === 'on') !== (mode === 'on')) {
      c.fail(rules.mismatch(id, ic));
      continue;
    }
    const poName = `${rules.portChannel}${id}`;
    if (!rules.table.interfaces.has(poName)) {
      if (rules.created) c.print(rules.created(id));
      rules.copySwitchport(ic, rules.table.iface(poName));
    } else {
      rules.copySwitchport(rules.table.iface(poName), ic);
    }
    ic.channelGroup = { id, mode };
  }
  rules.program();
}
