/**
 * The Onboard Administrator CLI subset: `show enclosure info`, `show interconnect info all|N`,
 * `show server list`, and the interconnect Virtual Buttons (`reset interconnect N`,
 * `poweroff interconnect N`, `poweron interconnect N`). Keywords may be abbreviated.
 */
import type { CliSession } from '../../cli/session.ts';
import { moduleModel } from '../hp-virtual-connect/info.ts';
import { ACTIVATION_ORDERS, type ActivationOrder } from '../../proto/vcsu/job.ts';
import type { C7000Enclosure } from './enclosure.ts';
import { DEVICE_BAYS, INTERCONNECT_BAYS } from './info.ts';

type Handler = (enc: C7000Enclosure, arg: string | undefined) => string;

function bayArg(arg: string | undefined, max: number): number | null {
  const n = Number(arg);
  return Number.isInteger(n) && n >= 1 && n <= max ? n : null;
}

const COMMANDS: { words: string[]; run: Handler }[] = [
  { words: ['show', 'enclosure', 'info'], run: (e) => showEnclosure(e) },
  { words: ['show', 'interconnect', 'info'], run: (e, a) => showInterconnect(e, a) },
  { words: ['show', 'server', 'list'], run: (e) => showServers(e) },
  { words: ['reset', 'interconnect'], run: (e, a) => button(e, a, 'reset') },
  { words: ['poweroff', 'interconnect'], run: (e, a) => button(e, a, 'off') },
  { words: ['poweron', 'interconnect'], run: (e, a) => button(e, a, 'on') },
];

function button(e: C7000Enclosure, arg: string | undefined, what: 'reset' | 'off' | 'on'): string {
  const bay = bayArg(arg, INTERCONNECT_BAYS);
  if (bay === null) return `Invalid arguments. Interconnect bay must be 1-${INTERCONNECT_BAYS}.\n`;
  if (!e.modules.has(bay) || e.module(bay).state === 'absent') return `Interconnect Bay #${bay} is not present.\n`;
  if (what === 'reset') {
    e.resetInterconnect(bay);
    return `Successfully reset the interconnect module in bay ${bay}.\n`;
  }
  e.powerInterconnect(bay, what === 'on');
  return `Interconnect Bay #${bay} is powering ${what}.\n`;
}

function showEnclosure(e: C7000Enclosure): string {
  return [
    'Enclosure Information:',
    '\tEnclosure Type: BladeSystem c7000 Enclosure G2',
    `\tEnclosure Name: ${e.name}`,
    `\tSerial Number: ${e.serial}`,
    `\tDevice Bays: ${DEVICE_BAYS} (${e.blades.size - e.pulledBlades.size} occupied)`,
    `\tInterconnect Bays: ${INTERCONNECT_BAYS} (${[...e.modules.values()].filter((m) => m.state !== 'absent').length} occupied)`,
    '',
    'Onboard Administrator 1:',
    `\tFirmware Version: ${e.oaFirmware}`,
    '\tRole: Active',
    '',
  ].join('\n');
}

function showInterconnect(e: C7000Enclosure, arg: string | undefined): string {
  const bays = arg === undefined || arg.toLowerCase() === 'all' ? Array.from({ length: INTERCONNECT_BAYS }, (_, i) => i + 1) : [bayArg(arg, INTERCONNECT_BAYS)];
  if (bays.includes(null)) return `Invalid arguments. Interconnect bay must be 1-${INTERCONNECT_BAYS} or ALL.\n`;
  const out: string[] = [];
  for (const bay of bays as number[]) {
    const m = e.modules.get(bay);
    out.push(`${bay}. Interconnect Module #${bay} Information:`);
    if (m === undefined || m.state === 'absent') {
      out.push('\tStatus: Absent', '');
      continue;
    }
    const model = moduleModel(m.type);
    out.push(
      `\tType: ${m.isEthernet ? 'Ethernet' : 'Fibre Channel'}`,
      `\tProduct Name: ${model.model}`,
      `\tFirmware Version: ${m.firmware}`,
      `\tPower: ${m.state === 'off' ? 'Off' : 'On'}`,
      `\tStatus: ${m.state === 'up' ? 'OK' : m.state === 'off' ? 'Off' : 'Degraded'}`,
      `\tVirtual Connect Manager: ${e.domain.vcmRole(bay)}`,
      '',
    );
  }
  return out.join('\n') + '\n';
}

function showServers(e: C7000Enclosure): string {
  const rows = ['Bay Name              Serial Number  Status   Power   UID', '--- ----------------- -------------- -------- ------- ---'];
  for (let bay = 1; bay <= DEVICE_BAYS; bay++) {
    const b = e.blades.get(bay);
    if (b === undefined || e.pulledBlades.has(bay)) {
      rows.push(`${String(bay).padEnd(3)} [Absent]`);
      continue;
    }
    rows.push(`${String(bay).padEnd(3)} ${b.name.padEnd(17)} ${b.hw.serial.padEnd(14)} OK       On      Off`);
  }
  return rows.join('\n') + '\n';
}

/**
 * `vcsu -a update -l <version> [-oe ORDER] [-of ORDER] [-we MIN] [-wf MIN]` or `vcsu -a healthcheck`:
 * VCSU runs on a workstation against the active OA (`-i`), so the OA console is where a scenario
 * types it. `-l` names the package by the firmware version it holds.
 */
function vcsu(e: C7000Enclosure, line: string): string {
  const words = line.trim().split(/\s+/).slice(1);
  const opt = new Map<string, string>();
  for (let i = 0; i < words.length - 1; i += 2) opt.set(words[i].toLowerCase(), words[i + 1]);
  const action = (opt.get('-a') ?? '').toLowerCase();
  if (action === 'healthcheck') {
    const d = e.domain;
    const rows = [...e.modules.entries()].sort((a, b) => a[0] - b[0]).map(([bay, m]) => `  Bay ${bay}: ${m.state === 'up' ? 'OK' : 'NOT AVAILABLE'}  firmware ${m.firmware}  VCM ${d.vcmRole(bay)}`);
    return ['Health check of the Virtual Connect domain', ...rows, `  Primary VCM: ${d.vcmPrimary !== null ? `bay ${d.vcmPrimary}` : 'not found'}`, ''].join('\n');
  }
  if (action !== 'update') return 'ERROR: Supported actions: update, healthcheck\n';
  const version = opt.get('-l');
  if (version === undefined) return 'ERROR: -l <package> is required\n';
  const order = (k: string): ActivationOrder | undefined | null => {
    const v = opt.get(k)?.toLowerCase();
    if (v === undefined) return undefined;
    return (ACTIVATION_ORDERS as readonly string[]).includes(v) ? (v as ActivationOrder) : null;
  };
  const oe = order('-oe');
  const of = order('-of');
  if (oe === null || of === null) return `ERROR: Activation order must be one of ${ACTIVATION_ORDERS.join(', ')}\n`;
  const num = (k: string): number | undefined => (opt.has(k) ? Number(opt.get(k)) : undefined);
  try {
    const job = e.startVcsu({ version, enetOrder: oe, fcOrder: of, enetDelayMinutes: num('-we'), fcDelayMinutes: num('-wf') });
    return job.log.map((l) => l.text).join('\n') + '\n';
  } catch (err) {
    return `ERROR: ${err instanceof Error ? err.message : String(err)}\n`;
  }
}

export class OaCli implements CliSession {
  private readonly lines: string[] = [];

  constructor(private readonly enc: C7000Enclosure) {}

  prompt(): string {
    return `OA-${this.enc.name}> `;
  }

  history(): readonly string[] {
    return this.lines;
  }

  complete(partial: string): string[] {
    const typed = partial.trimStart().toLowerCase();
    return COMMANDS.map((c) => c.words.join(' ')).filter((c) => c.startsWith(typed));
  }

  input(line: string): string {
    const text = line.trim();
    if (text === '') return '';
    this.lines.push(text);
    const words = text.split(/\s+/).map((w) => w.toLowerCase());
    if (words[0] === 'vcsu') return vcsu(this.enc, text);
    for (const c of COMMANDS) {
      if (words.length < c.words.length) continue;
      if (!c.words.every((w, i) => w.startsWith(words[i]) && words[i].length >= Math.min(2, w.length))) continue;
      return c.run(this.enc, words[c.words.length]);
    }
    return `Invalid command. Type HELP to display a list of available commands.\n`;
  }
}
