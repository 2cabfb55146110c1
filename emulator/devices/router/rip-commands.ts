/**
 * The IOS commands for RIP: `router rip` and its sub-mode (version, network, auto-summary,
 * passive-interface, timers basic, maximum-paths), and the `show` commands that read the engine.
 */
import type { ModeSpec } from '../../cli/engine.ts';
import { formatIpv4, integer, ipv4, type interfaceName } from '../../cli/params.ts';
import type { CommandContext, CommandSpec } from '../../cli/tree.ts';
import { SECOND } from '../../core/time.ts';
import type { ModeData, RouterState } from './grammar.ts';
import { classfulNetwork } from './rip-config.ts';
import { ipProtocolsRip, ipRipDatabase } from './rip-shows.ts';

type Ctx = CommandContext<ModeData>;
type Spec = CommandSpec<ModeData>;
type ShowMaker = (syntax: string, run: (c: Ctx) => void, params?: Spec['params']) => Spec;

export const RIP_MODE = 'config-router-rip';

export const RIP_SHOW_HELP: Record<string, string> = {
  rip: 'IP RIP show commands',
  database: 'IPv4 RIP database',
  protocols: 'IP routing protocol process parameters and statistics',
};

function reprogram(st: RouterState): void {
  st.router?.program();
}

export function ripShowCommands(st: RouterState, p: ShowMaker): Spec[] {
  const r = (c: Ctx, f: (router: NonNullable<RouterState['router']>) => string): void => {
    if (st.router !== null) c.print(f(st.router));
  };
  return [
    p('ip rip database', (c) => r(c, (x) => ipRipDatabase(x))),
    p('ip protocols', (c) => r(c, (x) => ipProtocolsRip(x))),
  ];
}

export function ripGlobalCommands(st: RouterState): Spec[] {
  const help = { router: 'Enable a routing process', rip: 'Routing Information Protocol (RIP)' };
  return [
    {
      syntax: 'router rip', help,
      run: (c) => {
        st.config.rip.enabled = true;
        reprogram(st);
        c.enterMode(RIP_MODE, { name: 'rip' });
      },
    },
    {
      syntax: 'no router rip', help,
      run: () => {
        const rip = st.config.rip;
        rip.enabled = false;
        rip.networks.length = 0;
        rip.passive.clear();
        rip.version = null;
        rip.timers = null;
        rip.autoSummary = true;
        rip.maximumPaths = 4;
        reprogram(st);
      },
    },
  ];
}

function ripModeCommands(st: RouterState, ifp: ReturnType<typeof interfaceName>): Spec[] {
  const rip = st.config.rip;
  return [
    {
      syntax: 'version $v', no: 'version', help: { version: 'Set routing protocol version' }, params: { v: [integer(1, 2), 'version'] },
      run: (c) => {
        rip.version = c.no ? null : c.args.int('v') === 1 ? 1 : 2;
        reprogram(st);
      },
    },
    {
      syntax: 'network $net', no: true, help: { network: 'Enable routing on an IP network' }, params: { net: [ipv4(), 'Network number'] },
      run: (c) => {
        const { net } = classfulNetwork(c.args.int('net'));
        const at = rip.networks.indexOf(net);
        if (c.no) {
          if (at < 0) {
            c.fail(`% Network ${formatIpv4(net)} not configured`);
            return;
          }
          rip.networks.splice(at, 1);
        } else if (at < 0) rip.networks.push(net);
        reprogram(st);
      },
    },
    {
      syntax: 'auto-summary', no: true, help: { 'auto-summary': 'Enable automatic network number summarization' },
      run: (c) => {
        rip.autoSummary = !c.no;
        reprogram(st);
      },
    },
    {
      syntax: 'passive-interface $if', no: true, help: { 'passive-interface': 'Suppress routing updates on an interface' }, params: { if: ifp },
      run: (c) => {
        const name = c.args.iface('if').name;
        if (c.no) rip.passive.delete(name);
        else rip.passive.add(name);
        reprogram(st);
      },
    },
    {
      syntax: 'timers basic $u $i $h $f', no: 'timers basic', help: { timers: 'Adjust routing timers', basic: 'Basic routing protocol update timers' },
      params: {
        u: [integer(0, 4294967295), 'Interval between updates'],
        i: [integer(1, 4294967295), 'Invalid'],
        h: [integer(0, 4294967295), 'Holddown'],
        f: [integer(1, 4294967295), 'Flush'],
      },
      run: (c) => {
        if (c.no) rip.timers = null;
        else {
          const s = (k: string): number => c.args.int(k) * SECOND;
          if (c.args.int('u') === 0) {
            c.fail('% Update interval must be at least 1 second');
            return;
          }
          rip.timers = { updateNs: s('u'), invalidNs: s('i'), holddownNs: s('h'), flushNs: s('f') };
        }
        reprogram(st);
      },
    },
    {
      syntax: 'maximum-paths $n', no: 'maximum-paths', help: { 'maximum-paths': 'Forward packets over multiple paths' }, params: { n: [integer(1, 32), 'Number of paths'] },
      run: (c) => {
        rip.maximumPaths = c.no ? 4 : c.args.int('n');
        reprogram(st);
      },
    },
  ];
}

export function ripModes(st: RouterState, ifp: ReturnType<typeof interfaceName>): ModeSpec<ModeData>[] {
  return [{ name: RIP_MODE, prompt: '(config-router)#', parent: 'config', commands: ripModeCommands(st, ifp) }];
}
