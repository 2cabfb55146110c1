import { describe, expect, it } from 'vitest';
import { CliEngine, type ModeSpec } from './engine.ts';
import { integer, interfaceName, restOfLine, word, type InterfaceTypeSpec } from './params.ts';

/** A toy switch: enough grammar to exercise the machinery without any vendor code. */
type Data = { iface: string } | { vlan: number };

function toy() {
  const state = { hostname: 'toy', desc: new Map<string, string>(), shut: new Set<string>(), vlans: new Map<number, string>(), applied: [] as number[] };
  const types: InterfaceTypeSpec[] = [
    { name: 'GigabitEthernet', help: 'GigabitEthernet IEEE 802.3z', numberLabel: '<1-9>', numberHelp: 'GigabitEthernet interface number', valid: (n) => /^1\/0\/([1-9])$/.test(n) },
    { name: 'Port-channel', help: 'Ethernet Channel of interfaces', numberLabel: '<1-48>', numberHelp: 'Port-channel interface number', valid: (n) => /^\d+$/.test(n) && Number(n) >= 1 && Number(n) <= 48 },
  ];
  const ifParam = interfaceName(types);
  const show = { show: 'Show running system information', version: 'System hardware and software status', vlan: 'VTP VLAN status', brief: 'VTP all VLAN status in brief', ip: 'IP information', interfaces: 'Interface status and configuration', long: 'Forty numbered lines' };
  const shows = [
    { syntax: 'show version', help: show, pipe: true, run: (c: { print(t: string): void }) => c.print('Toy IOS, Version 1.0\nuptime is 1 minute') },
    { syntax: 'show vlan brief', help: show, pipe: true, run: (c: { print(t: string): void }) => c.print([...state.vlans].map(([v, n]) => `${v} ${n}`).join('\n')) },
    { syntax: 'show interfaces', help: show, pipe: true, run: (c: { print(t: string): void }) => c.print('all interfaces') },
    { syntax: 'show ip', help: show, pipe: true, run: (c: { print(t: string): void }) => c.print('ip') },
    { syntax: 'show long', help: show, pipe: true, run: (c: { print(t: string): void }) => c.print(Array.from({ length: 40 }, (_, k) => `line ${k + 1}`).join('\n')) },
  ];
  const modes: ModeSpec<Data>[] = [
    {
      name: 'exec', prompt: '>', parent: null,
      commands: [{ syntax: 'enable', help: { enable: 'Turn on privileged commands' }, run: (c) => c.enterMode('privileged') }, ...shows],
    },
    {
      name: 'privileged', prompt: '#', parent: null,
      commands: [
        { syntax: 'disable', help: { disable: 'Turn off privileged commands' }, run: (c) => c.enterMode('exec') },
        { syntax: 'configure terminal', help: { configure: 'Enter configuration mode', terminal: 'Configure from the terminal' }, run: (c) => c.enterMode('config') },
        ...shows,
      ],
    },
    {
      name: 'config', prompt: '(config)#', parent: 'privileged',
      commands: [
        { syntax: 'hostname $name', help: { hostname: 'Set system\'s network name' }, params: { name: word("This system's network name") }, run: (c) => { state.hostname = c.args.str('name'); } },
        { syntax: 'interface $if', help: { interface: 'Select an interface to configure' }, params: { if: ifParam }, run: (c) => c.enterMode('config-if', { iface: c.args.iface('if').name }) },
        { syntax: 'vlan $vid', help: { vlan: 'Vlan commands' }, params: { vid: [integer(1, 4094), 'ISL VLAN IDs 1-1005'] }, run: (c) => c.enterMode('config-vlan', { vlan: c.args.int('vid') }) },
      ],
    },
    {
      name: 'config-if', prompt: '(config-if)#', parent: 'config',
      commands: [
        { syntax: 'description $text', help: { description: 'Interface specific description' }, params: { text: restOfLine('Up to 240 characters describing this interface') }, no: 'description',
          run: (c) => { const d = c.data; if (d && 'iface' in d) { if (c.no) state.desc.delete(d.iface); else state.desc.set(d.iface, c.args.str('text')); } } },
        { syntax: 'shutdown', help: { shutdown: 'Shutdown the selected interface' }, no: true,
          run: (c) => { const d = c.data; if (d && 'iface' in d) { if (c.no) state.shut.delete(d.iface); else state.shut.add(d.iface); } } },
        { syntax: 'speed $s', help: { speed: 'Configure speed operation.' }, params: { s: integer(10, 1000) }, run: (c) => c.fail('% Speed cannot be set on this port') },
      ],
    },
    {
      name: 'config-vlan', prompt: '(config-vlan)#', parent: 'config',
      onExit: (d) => { if (d && 'vlan' in d) state.applied.push(d.vlan); },
      commands: [
        { syntax: 'name $n', help: { name: 'Ascii name of the VLAN' }, params: { n: word('The ascii name for the VLAN') },
          run: (c) => { const d = c.data; if (d && 'vlan' in d) state.vlans.set(d.vlan, c.args.str('n')); } },
      ],
    },
  ];
  const engine = new CliEngine<Data>({
    modes, hostname: () => state.hostname, initialMode: 'exec', privilegedMode: 'privileged', configMode: 'config',
    logoutBanner: () => '\ntoy con0 is now available\n\nPress RETURN to get started.\n',
  });
  return { engine, state };
}

function configured() {
  const t = toy();
  t.engine.input('enable');
  t.engine.input('configure terminal');
  return t;
}

describe('modes and prompts', () => {
  it('walks exec → privileged → config → sub-modes and back with exit, end and Ctrl-Z', () => {
    const { engine } = toy();
    expect(engine.prompt()).toBe('toy>');
    engine.input('en');
    expect(engine.prompt()).toBe('toy#');
    engine.input('conf t');
    expect(engine.prompt()).toBe('toy(config)#');
    engine.input('int gi1/0/1');
    expect(engine.prompt()).toBe('toy(config-if)#');
    engine.input('exit');
    expect(engine.prompt()).toBe('toy(config)#');
    engine.input('interface GigabitEthernet 1/0/2');
    engine.input('end');
    expect(engine.prompt()).toBe('toy#');
    engine.input('conf t');
    engine.input('vlan 10');
    expect(engine.prompt()).toBe('toy(config-vlan)#');
    engine.input('name web\x1a');
    expect(engine.prompt()).toBe('toy#');
    engine.input('disable');
    expect(engine.prompt()).toBe('toy>');
  });

  it('runs a global command typed in a sub-mode and lands in global config', () => {
    const { engine, state } = configured();
    engine.input('interface gi1/0/3');
    engine.input('hostname core1');
    expect(state.hostname).toBe('core1');
    expect(engine.prompt()).toBe('core1(config)#');
    engine.input('int gi1/0/3');
    engine.input('vlan 20');
    expect(engine.prompt()).toBe('core1(config-vlan)#');
  });

  it('applies a sub-mode when it is left by any route', () => {
    const { engine, state } = configured();
    engine.input('vlan 30');
    engine.input('interface gi1/0/1');
    engine.input('vlan 31');
    engine.input('end');
    expect(state.applied).toEqual([30, 31]);
  });

  it('logs out from exec and comes back on Return', () => {
    const { engine } = toy();
    expect(engine.input('exit')).toContain('Press RETURN to get started.');
    expect(engine.prompt()).toBe('');
    engine.input('');
    expect(engine.prompt()).toBe('toy>');
  });

  it('runs exec commands from config with do', () => {
    const { engine } = configured();
    expect(engine.input('do show version')).toContain('Toy IOS');
    expect(engine.prompt()).toBe('toy(config)#');
    // The caret still points into the typed line, past the `do `.
    expect(engine.input('do show vershun').split('\n')[0]).toBe(' '.repeat('toy(config)#do show '.length) + '^');
  });

  it('negates with no', () => {
    const { engine, state } = configured();
    engine.input('int gi1/0/4');
    engine.input('shut');
    expect(state.shut.has('GigabitEthernet1/0/4')).toBe(true);
    engine.input('no shut');
    expect(state.shut.has('GigabitEthernet1/0/4')).toBe(false);
    engine.input('description  uplink to  core ');
    expect(state.desc.get('GigabitEthernet1/0/4')).toBe('uplink to  core');
    engine.input('no desc');
    expect(state.desc.has('GigabitEthernet1/0/4')).toBe(false);
  });
});

describe('errors as IOS prints them', () => {
  it('puts the caret under the bad word', () => {
    const { engine } = toy();
    engine.input('enable');
    expect(engine.input('show vlan brif')).toBe(`${' '.repeat('toy#show vlan '.length)}^\n% Invalid input detected at '^' marker.\n\n`);
  });

  it('says ambiguous with the typed prefix quoted', () => {
    const { engine } = toy();
    expect(engine.input('sh i')).toBe('% Ambiguous command:  "sh i"\n');
  });

  it('says incomplete', () => {
    const { engine } = toy();
    engine.input('en');
    expect(engine.input('conf')).toBe('% Incomplete command.\n\n');
    expect(engine.input('sh vlan')).toBe('% Incomplete command.\n\n');
  });

  it('takes an unknown first word in exec for a host name, but carets it in config', () => {
    const { engine } = toy();
    expect(engine.input('frobnicate')).toBe('% Unknown command or computer name, or unable to find computer address\n');
    engine.input('en');
    engine.input('conf t');
    expect(engine.input('frobnicate')).toContain(`${' '.repeat('toy(config)#'.length)}^`);
  });

  it('rejects out-of-range numbers and unknown interfaces at their column', () => {
    const { engine } = configured();
    expect(engine.input('vlan 4095').split('\n')[0]).toBe(`${' '.repeat('toy(config)#vlan '.length)}^`);
    expect(engine.input('interface gi1/0/77').split('\n')[0]).toBe(`${' '.repeat('toy(config)#interface '.length)}^`);
    expect(engine.prompt()).toBe('toy(config)#');
  });

  it('reports the deepest failure when a sub-mode line is also wrong globally', () => {
    const { engine } = configured();
    engine.input('int gi1/0/1');
    expect(engine.input('vlan 9999').split('\n')[0]).toBe(`${' '.repeat('toy(config-if)#vlan '.length)}^`);
    expect(engine.prompt()).toBe('toy(config-if)#');
  });
});

describe('? help and tab', () => {
  it('lists next words with help in aligned columns, then <cr>', () => {
    const { engine } = toy();
    engine.input('en');
    expect(engine.input('show vlan ?')).toBe('  brief  VTP all VLAN status in brief\n\n');
    const out = engine.input('sh ?');
    expect(out).toContain('  interfaces  Interface status and configuration\n');
    expect(out).toContain('  version     System hardware and software status\n');
    expect(engine.input('show version ?')).toBe('  |     Output modifiers\n  <cr>\n\n');
    expect(engine.lineAfterHelp()).toBe('show version ');
  });

  it('lists completions of a partial word', () => {
    const { engine } = toy();
    engine.input('en');
    expect(engine.input('sh?')).toBe('show  \n'.trimEnd() + '\n\n');
    expect(engine.input('show i?')).toBe('interfaces  ip\n\n');
    expect(engine.input('xyz?')).toBe('% Unrecognized command\n');
  });

  it('lists parameters and interface types', () => {
    const { engine } = configured();
    expect(engine.input('vlan ?')).toBe('  <1-4094>  ISL VLAN IDs 1-1005\n\n');
    expect(engine.input('interface ?')).toBe('  GigabitEthernet  GigabitEthernet IEEE 802.3z\n  Port-channel     Ethernet Channel of interfaces\n\n');
    expect(engine.input('int g?')).toBe('GigabitEthernet\n\n');
  });

  it('does not offer modifiers after a config command', () => {
    const { engine } = configured();
    expect(engine.input('hostname x ?')).toBe('  <cr>\n\n');
    expect(engine.input('hostname x | include y')).toContain('% Invalid input');
  });

  it('completes a unique prefix with tab and offers all choices otherwise', () => {
    const { engine } = toy();
    engine.input('en');
    expect(engine.complete('sh ver')).toEqual(['sh version ']);
    expect(engine.complete('show i')).toEqual(['show interfaces ', 'show ip ']);
    expect(engine.complete('conf t')).toEqual(['conf terminal ']);
    engine.input('conf t');
    expect(engine.complete('int gi')).toEqual(['int GigabitEthernet']);
    expect(engine.complete('zz')).toEqual([]);
  });
});

describe('output: modifiers, pager, history', () => {
  it('filters with include, exclude, begin and count', () => {
    const { engine } = toy();
    engine.input('terminal length 0');
    expect(engine.input('show long | include 1$')).toBe('line 1\nline 11\nline 21\nline 31\n');
    expect(engine.input('show long | i 3.')).toBe('line 30\nline 31\nline 32\nline 33\nline 34\nline 35\nline 36\nline 37\nline 38\nline 39\n');
    expect(engine.input('sh long | exclude [0-9][0-9]')).toBe('line 1\nline 2\nline 3\nline 4\nline 5\nline 6\nline 7\nline 8\nline 9\n');
    expect(engine.input('sh long | begin 38').split('\n')[0]).toBe('line 38');
    expect(engine.input('sh long | count 4')).toBe('Number of lines which match regexp = 5\n');
    expect(engine.input('sh long | e')).toBe('% Incomplete command.\n\n');
    expect(engine.input('sh long | x y')).toContain('% Invalid input');
  });

  it('pages at 24 lines, space for a page, Return for a line, q to stop', () => {
    const { engine } = toy();
    const first = engine.input('show long');
    expect(first.split('\n').filter(Boolean)).toHaveLength(23);
    expect(engine.prompt()).toBe(' --More-- ');
    expect(engine.paging()).toBe(true);
    expect(engine.input('')).toBe('line 24\n');
    const next = engine.input(' ');
    expect(next.split('\n').filter(Boolean)[0]).toBe('line 25');
    expect(engine.prompt()).toBe('toy>');
    engine.input('show long');
    expect(engine.input('q')).toBe('');
    expect(engine.prompt()).toBe('toy>');
  });

  it('does not page with terminal length 0', () => {
    const { engine } = toy();
    engine.input('terminal length 0');
    expect(engine.input('show long').split('\n').filter(Boolean)).toHaveLength(40);
    expect(engine.paging()).toBe(false);
  });

  it('remembers commands for show history', () => {
    const { engine } = toy();
    engine.input('show version');
    engine.input('enable');
    expect(engine.input('show history')).toBe('  show version\n  enable\n  show history\n');
  });
});

describe('startup config', () => {
  it('applies indented sub-mode lines and reports bad lines with their numbers', () => {
    const { engine, state } = toy();
    const issues = engine.applyConfig([
      '! lab core',
      'hostname core1',
      'vlan 10',
      ' name users',
      'interface GigabitEthernet1/0/2',
      ' description to server',
      ' shutdown',
      ' speed 100',
      ' spanning-tree portfast',
      'vlan 5000',
      'hostnam',
      'end',
      'hostname ignored-after-end',
    ].join('\n'));
    expect(state.hostname).toBe('core1');
    expect(state.vlans.get(10)).toBe('users');
    expect(state.desc.get('GigabitEthernet1/0/2')).toBe('to server');
    expect(state.shut.has('GigabitEthernet1/0/2')).toBe(true);
    expect(issues.map((i) => [i.line, i.column, i.message])).toEqual([
      [8, 1, 'Speed cannot be set on this port'],
      [9, 1, "Invalid input detected at '^' marker."],
      [10, 5, "Invalid input detected at '^' marker."],
      [11, 0, 'Incomplete command.'],
    ]);
    // The console is where it was.
    expect(engine.prompt()).toBe('core1>');
  });
});
