/**
 * The host's console: a small PowerShell. Cmdlets return objects; the end of the pipeline
 * formats them as PowerShell does (a table or a list by the cmdlet's default view, or
 * `Format-List` / `Format-Table` / `Select-Object` with named properties). PowerShell's grammar
 * (named parameters with unique-prefix abbreviation, positional parameters, pipelines) differs
 * enough from the IOS-style CLI machinery that it gets its own small parser here.
 */
import type { CliSession } from '../../cli/session.ts';
import { formatIpv4 } from '../../core/ipv4.ts';
import { SECOND } from '../../core/time.ts';
import type { HypervHost } from './host.ts';
import type { VirtualMachine } from './vm.ts';
import { HostNativeCommands } from './winrm-console.ts';

type Value = string | number | boolean | readonly string[];
type Obj = ReadonlyMap<string, Value>;
interface Result {
  objects: Obj[];
  /** Default view and the properties it shows. */
  view: 'table' | 'list';
  props: readonly string[];
}

class PsError extends Error {
  constructor(
    message: string,
    readonly category: string,
    readonly errorId: string,
  ) {
    super(message);
  }
}

interface CmdletSpec {
  name: string;
  /** Parameter names in declaration order; `positional` lists those bound by position. */
  params: readonly string[];
  switches?: readonly string[];
  positional: readonly string[];
  run(args: Map<string, string>, input: Result | null): Result;
}

const PROMPT = 'PS C:\\Users\\Administrator> ';

export class HostShell implements CliSession {
  private readonly cmdlets: CmdletSpec[];
  private readonly hist: string[] = [];
  private readonly native: HostNativeCommands;

  constructor(private readonly host: HypervHost) {
    this.cmdlets = this.build();
    this.native = new HostNativeCommands(host);
  }

  prompt(): string {
    return this.native.waiting ? '' : PROMPT;
  }

  history(): readonly string[] {
    return this.hist;
  }

  complete(partial: string): string[] {
    const words = partial.split(/\s+/);
    const last = words[words.length - 1].toLowerCase();
    if (words.length > 1 && !last.startsWith('-')) return [];
    if (words.length === 1 || words[words.length - 2] === '|') {
      return this.cmdlets.filter((c) => c.name.toLowerCase().startsWith(last)).map((c) => c.name);
    }
    const cmd = this.find(words[0]);
    if (cmd === undefined) return [];
    return [...cmd.params, ...(cmd.switches ?? [])].filter((p) => `-${p.toLowerCase()}`.startsWith(last)).map((p) => `-${p}`);
  }

  input(line: string): string {
    const text = line.trim();
    if (this.native.waiting) return this.native.input(text) ?? '';
    if (text === '') return '';
    this.hist.push(text);
    const native = this.native.input(text);
    if (native !== null) return native;
    try {
      const stages = splitPipeline(text);
      let result: Result | null = null;
      let formatted: string | null = null;
      for (const stage of stages) {
        const words = tokenize(stage);
        const name = words[0];
        const fmt = formatter(name);
        if (fmt !== null) {
          if (result === null) return '';
          const props = words.slice(1).filter((w) => !w.startsWith('-')).join(' ').split(',').map((p) => p.trim()).filter((p) => p !== '');
          if (fmt === 'select') {
            result = { objects: result.objects, view: props.length > 4 ? 'list' : 'table', props: resolveProps(result, props) };
          } else formatted = render(result.objects, fmt, resolveProps(result, props));
          continue;
        }
        const cmd = this.find(name);
        if (cmd === undefined) {
          throw new PsError(
            `The term '${name}' is not recognized as the name of a cmdlet, function, script file, or operable program. Check the spelling of the name, or if a path was included, verify that the path is correct and try again.`,
            `ObjectNotFound: (${name}:String) [], CommandNotFoundException`,
            'CommandNotFoundException',
          );
        }
        result = cmd.run(bind(cmd, words.slice(1)), result);
      }
      if (formatted !== null) return formatted;
      if (result === null || result.objects.length === 0) return '';
      return render(result.objects, result.view, result.props);
    } catch (e) {
      if (!(e instanceof PsError)) throw e;
      const first = tokenize(splitPipeline(text)[0])[0] ?? text;
      return [
        `${first} : ${e.message}`,
        'At line:1 char:1',
        `+ ${text}`,
        `+ ${'~'.repeat(text.length)}`,
        `    + CategoryInfo          : ${e.category}`,
        `    + FullyQualifiedErrorId : ${e.errorId}`,
        '',
        '',
      ].join('\n');
    }
  }

  private find(name: string): CmdletSpec | undefined {
    const n = name.toLowerCase();
    return this.cmdlets.find((c) => c.name.toLowerCase() === n);
  }

  // ---- cmdlets --------------------------------------------------------------------------------

  private vm(name: string): VirtualMachine {
    const vm = [...this.host.vms.values()].find((v) => v.name.toLowerCase() === name.toLowerCase());
    if (vm === undefined) {
      throw new PsError(
        `Hyper-V was unable to find a virtual machine with name "${name}".`,
        `InvalidArgument: (${name}:String) [Get-VM], VirtualizationException`,
        'InvalidParameter,Microsoft.HyperV.PowerShell.Commands.GetVM',
      );
    }
    return vm;
  }

  private build(): CmdletSpec[] {
    const host = this.host;
    const vmObject = (vm: VirtualMachine): Obj => {
      const running = vm.state === 'Running';
      return new Map<string, Value>([
        ['Name', vm.name],
        ['State', vm.state],
        ['CPUUsage(%)', 0],
        ['MemoryAssigned(M)', running ? vm.memoryMb : 0],
        ['Uptime', running ? uptime(host.net.now - vm.startedNs) : '00:00:00'],
        ['Status', 'Operating normally'],
        ['ComputerName', host.name],
      ]);
    };
    const adapterObjects = (vm: VirtualMachine): Obj[] =>
      vm.adapters.map((a) => {
        const on = vm.state === 'Running';
        return new Map<string, Value>([
          ['Name', 'Network Adapter'],
          ['IsManagementOs', false],
          ['VMName', vm.name],
          ['SwitchName', host.vswitch.name],
          ['MacAddress', a.mac.toString(16).toUpperCase().padStart(12, '0')],
          ['Status', on ? ['Ok'] : []],
          ['IPAddresses', on ? (vm.guest?.adapterAddresses(a.index) ?? []).map(formatIpv4) : []],
          ['DynamicMacAddressEnabled', false],
          ['MacAddressSpoofing', a.macSpoofing ? 'On' : 'Off'],
          ['VlanSetting', a.vlan === 0 ? 'Untagged' : `Access ${a.vlan}`],
        ]);
      });
    const teamGone = (): never => {
      throw new PsError('No MSFT_NetLbfoTeam objects found with property \'Name\' equal to \'*\'.', 'ObjectNotFound: (*:String) [Get-NetLbfoTeam], CimJobException', 'CmdletizationQuery_NotFound_Name,Get-NetLbfoTeam');
    };
    return [
      {
        name: 'Get-VM',
        params: ['Name'],
        positional: ['Name'],
        run: (args) => {
          const n = args.get('Name');
          const vms = n !== undefined ? [this.vm(n)] : [...host.vms.values()].sort((a, b) => a.name.localeCompare(b.name));
          return { objects: vms.map(vmObject), view: 'table', props: ['Name', 'State', 'CPUUsage(%)', 'MemoryAssigned(M)', 'Uptime', 'Status'] };
        },
      },
      {
        name: 'Get-VMNetworkAdapter',
        params: ['VMName'],
        switches: ['All'],
        positional: ['VMName'],
        run: (args) => {
          const n = args.get('VMName');
          const vms = n !== undefined ? [this.vm(n)] : args.has('All') ? [...host.vms.values()] : [];
          return {
            objects: vms.flatMap(adapterObjects),
            view: 'table',
            props: ['Name', 'IsManagementOs', 'VMName', 'SwitchName', 'MacAddress', 'Status', 'IPAddresses'],
          };
        },
      },
      {
        name: 'Set-VMNetworkAdapter',
        params: ['VMName', 'MacAddressSpoofing'],
        positional: ['VMName'],
        run: (args) => {
          const n = args.get('VMName');
          const v = args.get('MacAddressSpoofing');
          if (n === undefined) throw new PsError('Cannot process command because of one or more missing mandatory parameters: VMName.', 'InvalidArgument: (:) [Set-VMNetworkAdapter], ParameterBindingException', 'MissingMandatoryParameter');
          const vm = this.vm(n);
          if (v !== undefined) {
            const on = v.toLowerCase();
            if (on !== 'on' && on !== 'off') {
              throw new PsError(
                `Cannot bind parameter 'MacAddressSpoofing'. Cannot convert value "${v}" to type "Microsoft.HyperV.PowerShell.OnOffState". Error: "Unable to match the identifier name ${v} to a valid enumerator name. Specify one of the following enumerator names and try again:\nOn, Off"`,
                'InvalidArgument: (:) [Set-VMNetworkAdapter], ParameterBindingException',
                'CannotConvertArgumentNoMessage',
              );
            }
            host.setMacSpoofing(vm.name, on === 'on');
          }
          return { objects: [], view: 'table', props: [] };
        },
      },
      {
        name: 'Get-NetLbfoTeam',
        params: ['Name'],
        positional: ['Name'],
        run: () => {
          const t = host.team;
          if (t === null) return teamGone();
          const v = t.view();
          return {
            objects: [
              new Map<string, Value>([
                ['Name', v.name],
                ['Members', [...v.members].reverse()],
                ['TeamNics', v.name],
                ['TeamingMode', v.mode],
                ['LoadBalancingAlgorithm', v.algorithm],
                ['Status', v.status],
              ]),
            ],
            view: 'list',
            props: ['Name', 'Members', 'TeamNics', 'TeamingMode', 'LoadBalancingAlgorithm', 'Status'],
          };
        },
      },
      {
        name: 'Get-NetLbfoTeamMember',
        params: ['Name', 'Team'],
        positional: ['Name'],
        run: (args) => {
          const t = host.team;
          if (t === null) return teamGone();
          const want = args.get('Name')?.toLowerCase();
          const objects = t
            .memberViews()
            .filter((m) => want === undefined || m.name.toLowerCase() === want)
            .map(
              (m) =>
                new Map<string, Value>([
                  ['Name', m.name],
                  ['InterfaceDescription', `${nicModel(m.speedBps)}${m.name === 'NIC1' ? '' : ` #${m.name.slice(3)}`}`],
                  ['Team', m.team],
                  ['AdministrativeMode', m.administrativeMode],
                  ['OperationalStatus', m.operationalStatus],
                  ['TransmitLinkSpeed(Gbps)', m.speedBps / 1e9],
                  ['ReceiveLinkSpeed(Gbps)', m.speedBps / 1e9],
                  ['FailureReason', m.failureReason],
                ]),
            );
          return {
            objects,
            view: 'list',
            props: ['Name', 'InterfaceDescription', 'Team', 'AdministrativeMode', 'OperationalStatus', 'TransmitLinkSpeed(Gbps)', 'ReceiveLinkSpeed(Gbps)', 'FailureReason'],
          };
        },
      },
      {
        name: 'Get-VMSwitch',
        params: ['Name'],
        positional: ['Name'],
        run: () => ({
          objects: [new Map<string, Value>([['Name', host.vswitch.name], ['SwitchType', 'External'], ['NetAdapterInterfaceDescription', host.team !== null ? 'Microsoft Network Adapter Multiplexor Driver' : nicModel(host.nics[0].speedBps)]])],
          view: 'table',
          props: ['Name', 'SwitchType', 'NetAdapterInterfaceDescription'],
        }),
      },
      {
        name: 'Move-VM',
        params: ['Name', 'DestinationHost'],
        positional: ['Name', 'DestinationHost'],
        run: (args) => {
          const n = args.get('Name');
          const to = args.get('DestinationHost');
          if (n === undefined || to === undefined) {
            throw new PsError('Cannot process command because of one or more missing mandatory parameters: Name DestinationHost.', 'InvalidArgument: (:) [Move-VM], ParameterBindingException', 'MissingMandatoryParameter');
          }
          const vm = this.vm(n);
          const err = host.moveVm(vm.name, to);
          if (err !== null) throw new PsError(`Virtual machine migration operation for '${vm.name}' failed at migration source '${host.name}'. ${err}`, 'NotSpecified: (:) [Move-VM], VirtualizationException', 'OperationFailed,Microsoft.HyperV.PowerShell.Commands.MoveVM');
          return { objects: [], view: 'table', props: [] };
        },
      },
    ];
  }
}

// ---- parsing ----------------------------------------------------------------------------------

function splitPipeline(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote = '';
  for (const ch of text) {
    if (quote !== '') {
      if (ch === quote) quote = '';
      cur += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      cur += ch;
    } else if (ch === '|') {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  out.push(cur.trim());
  return out;
}

function tokenize(stage: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(stage); m !== null; m = re.exec(stage)) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}

function formatter(name: string | undefined): 'list' | 'table' | 'select' | null {
  const n = (name ?? '').toLowerCase();
  if (n === 'fl' || n === 'format-list') return 'list';
  if (n === 'ft' || n === 'format-table') return 'table';
  if (n === 'select' || n === 'select-object') return 'select';
  return null;
}

/** Bind words to parameters: `-Name value`, unique prefixes, then positions. */
function bind(cmd: CmdletSpec, words: string[]): Map<string, string> {
  const out = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (!w.startsWith('-') || w.length < 2) {
      positional.push(w);
      continue;
    }
    const [rawName, inline] = w.slice(1).split(':', 2);
    const lower = rawName.toLowerCase();
    const all = [...cmd.params, ...(cmd.switches ?? [])];
    const exact = all.find((p) => p.toLowerCase() === lower);
    const matches = exact !== undefined ? [exact] : all.filter((p) => p.toLowerCase().startsWith(lower));
    if (matches.length === 0) {
      throw new PsError(`A parameter cannot be found that matches parameter name '${rawName}'.`, `InvalidArgument: (:) [${cmd.name}], ParameterBindingException`, `NamedParameterNotFound,${cmd.name}`);
    }
    if (matches.length > 1) {
      throw new PsError(`Parameter cannot be processed because the parameter name '${rawName}' is ambiguous. Possible matches include: ${matches.map((m) => `-${m}`).join(' ')}.`, `InvalidArgument: (:) [${cmd.name}], ParameterBindingException`, `AmbiguousParameter,${cmd.name}`);
    }
    const p = matches[0];
    if (cmd.switches?.includes(p)) {
      out.set(p, 'True');
      continue;
    }
    const value = inline ?? words[++i];
    if (value === undefined) {
      throw new PsError(`Missing an argument for parameter '${p}'. Specify a parameter of type 'System.String' and try again.`, `InvalidArgument: (:) [${cmd.name}], ParameterBindingException`, `MissingArgument,${cmd.name}`);
    }
    out.set(p, value);
  }
  const free = cmd.positional.filter((p) => !out.has(p));
  positional.forEach((v, i) => {
    const p = free[i];
    if (p === undefined) {
      throw new PsError(`A positional parameter cannot be found that accepts argument '${v}'.`, `InvalidArgument: (:) [${cmd.name}], ParameterBindingException`, `PositionalParameterNotFound,${cmd.name}`);
    }
    out.set(p, v);
  });
  return out;
}

/** Property names as the user typed them, matched case-insensitively (`*` = all); default: the view's. */
function resolveProps(r: Result, wanted: readonly string[]): string[] {
  if (wanted.length === 0) return [...r.props];
  const keys = r.objects.length > 0 ? [...r.objects[0].keys()] : [...r.props];
  if (wanted.includes('*')) return keys;
  return wanted.map((w) => keys.find((k) => k.toLowerCase() === w.toLowerCase()) ?? w);
}

// ---- formatting -------------------------------------------------------------------------------

function show(v: Value | undefined): string {
  if (v === undefined) return '';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return v;
  return `{${v.join(', ')}}`;
}

function render(objects: readonly Obj[], view: 'table' | 'list' | 'select', props: readonly string[]): string {
  if (view === 'list') {
    const w = Math.max(...props.map((p) => p.length));
    const blocks = objects.map((o) => props.map((p) => `${p.padEnd(w)} : ${show(o.get(p))}`).join('\n'));
    return `\n${blocks.join('\n\n')}\n\n\n`;
  }
  const widths = props.map((p) => Math.max(p.length, ...objects.map((o) => show(o.get(p)).length)));
  const numeric = props.map((p) => objects.every((o) => typeof o.get(p) === 'number'));
  const cell = (s: string, i: number): string => (numeric[i] ? s.padStart(widths[i]) : s.padEnd(widths[i]));
  const line = (cells: string[]): string => cells.map(cell).join(' ').trimEnd();
  const rows = [line([...props]), line(props.map((p) => '-'.repeat(p.length))), ...objects.map((o) => line(props.map((p) => show(o.get(p)))))];
  return `\n${rows.join('\n')}\n\n\n`;
}

/** The adapter model Windows names a physical NIC by: a common 1G or 10G Intel server adapter. */
function nicModel(speedBps: number): string {
  return speedBps >= 10e9 ? 'Intel(R) Ethernet Converged Network Adapter X520-2' : 'Intel(R) Ethernet Server Adapter I350-T2';
}

function uptime(ns: number): string {
  const total = Math.max(0, Math.floor(ns / SECOND));
  const d = Math.floor(total / 86400);
  const h = Math.floor((total % 86400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const hms = [h, m, s].map((x) => String(x).padStart(2, '0')).join(':');
  return d > 0 ? `${d}.${hms}` : hms;
}
