/**
 * The stack's IOS: the Catalyst command set over the stack's one configuration and plane, plus
 * what only a stack has — `show switch`, the member rows of `show version`, and the global
 * `switch N …` commands.
 */
import type { DialectSpec, ModeSpec } from '../../cli/engine.ts';
import { formatDottedMac, integer, word } from '../../cli/params.ts';
import type { CommandSpec } from '../../cli/tree.ts';
import { catalystDialect, CONFIRM_QUESTION, type CatalystState, type CatalystTerminal, type ModeData } from '../cisco-catalyst/grammar.ts';
import * as show from '../cisco-catalyst/shows.ts';
import { MAX_MEMBERS, memberPorts } from './info.ts';
import type { StackMemberView } from './stack.ts';

/** What the stack's commands need of the stack itself. */
export interface StackControl {
  stackMembers(): StackMemberView[];
  /** The stack's bridge MAC. */
  readonly systemMac: number;
  setPriority(n: number, priority: number): boolean;
}

type Spec = CommandSpec<ModeData>;

/** `H/W Version` of a 3750-X member [U]. */
const HW_VERSION = '4';

/**
 * `show switch` in the 3750's shape. `*` marks the switch the console is on, which for a 3750
 * stack is always the master. A member that is off, pulled out or still booting is listed with
 * its provisioned configuration only: no MAC address, priority or version, state `Provisioned`.
 * A member in SDM mismatch is there, with its MAC and priority, but not working: `SDM Mismatch`.
 */
export function showSwitch(stack: StackControl): string {
  const out = [
    `Switch/Stack Mac Address : ${formatDottedMac(stack.systemMac)}`,
    '                                           H/W   Current',
    'Switch#  Role   Mac Address     Priority Version  State',
    '----------------------------------------------------------',
  ];
  for (const m of stack.stackMembers()) {
    const ready = m.state !== 'Provisioned';
    const mark = m.role === 'Master' ? '*' : ' ';
    out.push(
      `${mark}${String(m.number).padEnd(8)}${m.role.padEnd(7)}${formatDottedMac(ready ? m.mac : 0)}     ${String(ready ? m.priority : 0).padEnd(7)}${(ready ? HW_VERSION : '0').padEnd(8)}${m.state}`,
    );
  }
  return out.join('\n') + '\n';
}

/** `show version` with one row per member in the switch table, the master's marked. */
export function showVersion(st: CatalystState, stack: StackControl): string {
  const rows = stack
    .stackMembers()
    .filter((x) => x.state === 'Ready')
    .map((x) => `${x.role === 'Master' ? '*' : ' '}    ${x.number} ${String(memberPorts(x.number, x.model).length).padStart(2)}    ${x.model.pid.padEnd(18)} ${x.model.iosVersion.padEnd(21)} ${x.model.iosImage}`);
  const lines = show.version(st).split('\n');
  const at = lines.findIndex((l) => l.startsWith('*    1 '));
  if (at >= 0) lines.splice(at, 1, ...rows);
  return lines.join('\n');
}

function stackCommands(st: CatalystState, stack: StackControl, term: CatalystTerminal | null): { exec: Spec[]; privileged: Spec[]; config: Spec[] } {
  const showHelp = { show: 'Show running system information', switch: 'show information related to Stack', version: 'System hardware and software status' };
  const exec: Spec[] = [
    { syntax: 'show switch', help: showHelp, pipe: true, run: (c) => c.print(showSwitch(stack)) },
    { syntax: 'show version', help: showHelp, pipe: true, run: (c) => c.print(showVersion(st, stack)) },
  ];
  const privileged: Spec[] = [
    {
      syntax: 'reload slot $n', help: { reload: 'Halt and perform a cold restart', slot: 'Slot number' }, params: { n: [integer(1, MAX_MEMBERS), 'Switch Number'] },
      run: (c) => {
        const system = st.system;
        const n = c.args.int('n');
        if (system === null || term === null || system.reloadSlot === undefined) return;
        if (!stack.stackMembers().some((m) => m.number === n && m.state !== 'Provisioned')) {
          c.fail(`% Switch ${n} is not present in the stack`);
          return;
        }
        term.question = { step: 'confirm', proceed: () => system.reloadSlot?.(n) ?? '' };
        c.print(CONFIRM_QUESTION);
      },
    },
  ];
  const number = [integer(1, MAX_MEMBERS), 'Switch Number'] as const;
  const help = {
    switch: 'Configure Switch Stack',
    priority: 'Set the priority of the specified switch',
    provision: 'Configure Switch provision / offline config',
    renumber: 'Renumber the specified switch number',
  };
  const config: Spec[] = [
    {
      syntax: 'switch $n priority $p', help, params: { n: number, p: [integer(1, 15), 'Switch Priority'] },
      run: (c) => {
        if (!stack.setPriority(c.args.int('n'), c.args.int('p'))) c.fail(`% Switch ${c.args.int('n')} is not present in the stack`);
      },
    },
    {
      // The stack provisions each member it has; a pasted configuration's own lines restate that.
      syntax: 'switch $n provision $type', help, params: { n: number, type: word('Switch type') },
      run: (c) => {
        if (!stack.stackMembers().some((m) => m.number === c.args.int('n'))) c.fail(`% Provisioning of switch ${c.args.int('n')} is not modelled: add the member to the lab`);
      },
    },
    {
      syntax: 'switch $n renumber $m', help, params: { n: number, m: [integer(1, MAX_MEMBERS), 'New Switch Number'] },
      run: (c) => c.fail('% Renumbering is not modelled: a member\'s number is its slot in the lab'),
    },
  ];
  return { exec, privileged, config };
}

/** The Catalyst dialect over the stack's state, with the stack's own commands in place. */
export function stackDialect(st: CatalystState, stack: StackControl, term: CatalystTerminal | null = null): DialectSpec<ModeData> {
  const base = catalystDialect(st, term);
  const extra = stackCommands(st, stack, term);
  const replaced = new Set(extra.exec.map((s) => s.syntax));
  const modes: ModeSpec<ModeData>[] = base.modes.map((mode) => {
    if (mode.name === 'exec' || mode.name === 'privileged') {
      const own = mode.name === 'privileged' ? [...extra.exec, ...extra.privileged] : extra.exec;
      return { ...mode, commands: [...mode.commands.filter((s) => !replaced.has(s.syntax)), ...own] };
    }
    if (mode.name === 'config') return { ...mode, commands: [...mode.commands, ...extra.config] };
    return mode;
  });
  return { ...base, modes };
}
