/**
 * The MAC address table commands IOS and NX-OS share in shape: `show mac address-table` with its
 * narrowing options, and `clear mac address-table dynamic [vlan N]`. The words and their order
 * are the same on both; each dialect brings its own help texts, interface names and printer.
 */
import { dottedMac, integer, type ParamType } from '../../cli/params.ts';
import type { CommandSpec } from '../../cli/tree.ts';

/** What one `show mac address-table` line asks for; a field left out does not narrow. */
export interface MacTableFilter {
  readonly type: 'dynamic' | 'static' | null;
  readonly mac?: number;
  readonly port?: string;
  readonly vlan?: number;
}

export interface MacTableShow {
  /** Help for the keywords of the `show` lines. */
  readonly help: Readonly<Record<string, string>>;
  /** The dialect's interface names. */
  readonly iface: ParamType;
  /** What `?` says for the address and interface values. */
  readonly addressHelp: string;
  readonly interfaceHelp: string;
  readonly print: (filter: MacTableFilter) => string;
}

type Params = CommandSpec<unknown>['params'];

/**
 * `show mac address-table [dynamic|static] [address H.H.H] [interface X] [vlan N]`: each option
 * at most once and in this order, so every combination is a command of its own.
 */
export function macTableShowCommands<D>(s: MacTableShow): CommandSpec<D>[] {
  const opts: { syntax: string; params: Params }[] = [
    { syntax: 'address $mac', params: { mac: [dottedMac(), s.addressHelp] } },
    { syntax: 'interface $if', params: { if: [s.iface, s.interfaceHelp] } },
    { syntax: 'vlan $vlan', params: { vlan: [integer(1, 4094), 'VLAN number'] } },
  ];
  const specs: CommandSpec<D>[] = [];
  for (const kind of ['', 'dynamic ', 'static ']) {
    for (let mask = 0; mask < 8; mask++) {
      const chosen = opts.filter((_, k) => (mask >> k) & 1);
      const syntax = `mac address-table ${kind}${chosen.map((o) => o.syntax).join(' ')}`.trim();
      const params = Object.assign({}, ...chosen.map((o) => o.params)) as Params;
      specs.push({
        syntax: `show ${syntax}`,
        help: s.help,
        pipe: true,
        params,
        run: (c) => c.print(s.print({
          type: c.args.has('dynamic') ? 'dynamic' : c.args.has('static') ? 'static' : null,
          mac: c.args.optInt('mac'),
          port: c.args.optIface('if')?.name,
          vlan: c.args.optInt('vlan'),
        })),
      });
    }
  }
  return specs;
}

export interface ClearMacHelp {
  readonly clear: string;
  readonly mac: string;
  readonly 'address-table': string;
  readonly dynamic: string;
  readonly vlan: string;
}

/** `clear mac address-table dynamic [vlan N]`: forget the learned entries, of one VLAN or all. */
export function clearDynamicMacCommands<D>(help: ClearMacHelp, clear: (vlan?: number) => void): CommandSpec<D>[] {
  const { vlan, ...words } = help;
  return [
    { syntax: 'clear mac address-table dynamic', help: words, run: () => clear() },
    { syntax: 'clear mac address-table dynamic vlan $vid', help: { vlan }, params: { vid: integer(1, 4094) }, run: (c) => clear(c.args.int('vid')) },
  ];
}
