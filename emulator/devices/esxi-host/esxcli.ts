/**
 * The ESXi Shell as far as a network reader needs it: the `esxcli network …` views, the failover
 * policy getters, `esxcfg-vswitch -l`, `net-dvs -l` (the teaming lines where seed 001 reads
 * "notify switch") and `net-stats -l`. Output shapes follow ESXi 5.x (the seed's era): tables with
 * dashed header rules, and "Key: Value" records for the list commands that print objects.
 * net-stats type codes (3 vmknic, 4 physical NIC, 5 VM vNIC; subtype 9 vmxnet3) are recalled [U].
 */
import type { CliSession } from '../../cli/session.ts';
import { formatIpv4 } from '../../core/ipv4.ts';
import { formatMac } from '../../core/mac.ts';
import type { EsxiHost } from './host.ts';
import type { EsxiVSwitch, VirtualPort } from './vswitch.ts';

function table(headers: readonly string[], rows: readonly (readonly string[])[], rightAligned: readonly number[] = []): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const cell = (v: string, i: number): string => (rightAligned.includes(i) ? v.padStart(widths[i]) : v.padEnd(widths[i]));
  const line = (r: readonly string[]): string => r.map(cell).join('  ').trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function record(title: string | null, fields: readonly (readonly [string, string])[], indent = '   '): string {
  const out = title !== null ? [title] : [];
  for (const [k, v] of fields) out.push(`${indent}${k}: ${v}`);
  return out.join('\n');
}

/** Each PCI function of a multi-port NIC sits on bus 02, device 00 [U: as in seed 001]. */
function pciAddress(i: number): string {
  return `0000:${(2 + Math.floor(i / 8)).toString(16).padStart(2, '0')}:00.${i % 8}`;
}

const USAGE = [
  'Commands:',
  '  esxcli network nic list',
  '  esxcli network vswitch standard list',
  '  esxcli network vswitch standard portgroup list',
  '  esxcli network vswitch standard policy failover get -v <vswitch>',
  '  esxcli network vswitch standard portgroup policy failover get -p <portgroup>',
  '  esxcli network vswitch dvs vmware list',
  '  esxcli network vm list',
  '  esxcli network vm port list -w <world id>',
  '  esxcfg-vswitch -l',
  '  net-dvs -l',
  '  net-stats -l',
].join('\n');

export class EsxiShell implements CliSession {
  private readonly hist: string[] = [];

  constructor(private readonly host: EsxiHost) {}

  prompt(): string {
    return `[root@${this.host.options.hostname}:~] `;
  }

  history(): readonly string[] {
    return this.hist;
  }

  complete(partial: string): string[] {
    const all = USAGE.split('\n')
      .slice(1)
      .map((l) => l.trim().replace(/ <.*$/, '').replace(/ -[vpw]$/, ''));
    return all.filter((c) => c.startsWith(partial.trim()));
  }

  input(line: string): string {
    const text = line.trim();
    if (text === '') return '';
    this.hist.push(text);
    const words = text.split(/\s+/);
    try {
      return this.run(words);
    } catch (err) {
      return err instanceof Error ? err.message : String(err);
    }
  }

  private run(w: readonly string[]): string {
    const cmd = w.join(' ');
    if (w[0] === 'esxcli') return this.esxcli(w.slice(1));
    if (cmd === 'esxcfg-vswitch -l') return this.esxcfgVswitch();
    if (cmd === 'net-dvs -l') return this.netDvs();
    if (cmd === 'net-stats -l') return this.netStats();
    if (cmd === 'help') return USAGE;
    return `-sh: ${w[0]}: not found`;
  }

  private esxcli(w: readonly string[]): string {
    const { positional, opts } = parseOptions(w);
    const path = positional.join(' ');
    switch (path) {
      case 'network nic list':
        return this.nicList();
      case 'network vswitch standard list':
        return this.standardList();
      case 'network vswitch standard portgroup list':
        return this.portgroupList();
      case 'network vswitch standard policy failover get':
        return this.failoverGet(this.host.vswitch0, null, opts.get('v') ?? opts.get('vswitch-name'));
      case 'network vswitch standard portgroup policy failover get':
        return this.failoverGet(this.host.vswitch0, opts.get('p') ?? opts.get('portgroup-name') ?? null, undefined);
      case 'network vswitch dvs vmware list':
        return this.dvsList();
      case 'network vm list':
        return this.vmList();
      case 'network vm port list': {
        const id = opts.get('w') ?? opts.get('world-id');
        if (id === undefined) return 'Error: Missing required parameter -w|--world-id';
        return this.vmPortList(Number(id));
      }
      default:
        return `Error: Unknown command or namespace ${path}`;
    }
  }

  private nicList(): string {
    const h = this.host;
    const rows = h.vmnics.map((p, i) => {
      const up = p.operUp;
      const speed = up ? String(Math.round((p.link?.rateBps ?? p.speedBps) / 1e6)) : '0';
      return [p.name, pciAddress(i), h.options.nicDriver, up ? 'Up' : 'Down', speed, up ? 'Full' : 'Half', formatMac(p.mac), String(h.options.mtu), h.options.nicDescription];
    });
    return table(['Name', 'PCI Device', 'Driver', 'Link', 'Speed', 'Duplex', 'MAC Address', 'MTU', 'Description'], rows, [4, 7]);
  }

  private usedPorts(sw: EsxiVSwitch): number {
    return sw.ports.length + sw.uplinks.length;
  }

  private standardList(): string {
    const sw = this.host.vswitch0;
    return record(sw.name, [
      ['Name', sw.name],
      ['Class', 'etherswitch'],
      ['Num Ports', '128'],
      ['Used Ports', String(this.usedPorts(sw))],
      ['Configured Ports', '128'],
      ['MTU', String(sw.mtu)],
      ['CDP Status', 'listen'],
      ['Beacon Enabled', 'false'],
      ['Beacon Interval', '1'],
      ['Beacon Threshold', '3'],
      ['Beacon Required By', ''],
      ['Uplinks', sw.uplinks.map((u) => u.name).join(', ')],
      ['Portgroups', sw.portGroups.map((p) => p.name).join(', ')],
    ]);
  }

  private portgroupList(): string {
    const sw = this.host.vswitch0;
    const rows = sw.portGroups.map((pg) => [pg.name, sw.name, String(sw.ports.filter((p) => p.portGroup === pg).length), String(pg.vlan)]);
    return table(['Name', 'Virtual Switch', 'Active Clients', 'VLAN ID'], rows, [2, 3]);
  }

  private failoverGet(sw: EsxiVSwitch, pgName: string | null, swName: string | undefined): string {
    if (pgName === null && swName !== undefined && swName.toLowerCase() !== sw.name.toLowerCase()) return `Error: Invalid option -v: the vSwitch ${swName} does not exist`;
    let t = sw.teaming;
    if (pgName !== null) {
      const pg = sw.portGroup(pgName);
      if (pg === undefined) return `Error: the portgroup ${pgName} does not exist`;
      t = sw.teamingOf(pg);
    }
    const unused = sw.uplinks.map((u) => u.name).filter((n) => !t.active.includes(n) && !t.standby.includes(n));
    return record(null, [
      ['Load Balancing', 'srcport'],
      ['Network Failure Detection', 'link'],
      ['Notify Switches', t.notifySwitches ? 'true' : 'false'],
      ['Failback', t.failback ? 'true' : 'false'],
      ['Active Adapters', t.active.join(', ')],
      ['Standby Adapters', t.standby.join(', ')],
      ['Unused Adapters', unused.join(', ')],
    ], '   ');
  }

  private dvsList(): string {
    const sw = this.host.dvs;
    if (sw === null) return '';
    const head = record(sw.name, [
      ['Name', sw.name],
      ['VDS ID', dvsId(sw.name)],
      ['Class', 'etherswitch'],
      ['Num Ports', '256'],
      ['Used Ports', String(this.usedPorts(sw))],
      ['Configured Ports', '256'],
      ['MTU', String(sw.mtu)],
      ['CDP Status', 'listen'],
      ['Beacon Timeout', '-1'],
      ['Uplinks', [...sw.uplinks].reverse().map((u) => u.name).join(', ')],
      ['VMware Branded', 'true'],
      ['DVPort', ''],
    ]);
    const blocks: string[] = [];
    sw.uplinks.forEach((u, i) => {
      blocks.push(record(null, [['Client', u.name], ['DVPortgroup ID', `dvportgroup-uplinks`], ['In Use', 'true'], ['Port ID', String(i)]], '         '));
    });
    for (const p of sw.ports) {
      blocks.push(record(null, [['Client', p.client], ['DVPortgroup ID', pgId(p.portGroup.name)], ['In Use', 'true'], ['Port ID', String(p.dvPort ?? '')]], '         '));
    }
    return [head, ...blocks].join('\n\n');
  }

  private vmList(): string {
    const rows = [...this.host.vms.values()]
      .filter((e) => e.vm.state !== 'Off' && this.host.portsOf(e).length > 0)
      .map((e) => [String(e.worldId), e.vm.name, String(e.vm.adapters.length), e.adapters.map((a) => a.portGroup).join(', ')]);
    return table(['World ID', 'Name', 'Num Ports', 'Networks'], rows, [0, 2]);
  }

  private vmPortList(worldId: number): string {
    const e = [...this.host.vms.values()].find((x) => x.worldId === worldId);
    if (e === undefined) return `Error: Invalid World ID ${worldId}`;
    const blocks = this.host.portsOf(e).map((p) => {
      const sw = this.switchOf(p);
      const ips = e.vm.guest?.adapterAddresses(p.vnic.index) ?? [];
      return record(null, [
        ['Port ID', String(p.id)],
        ['vSwitch', sw.name],
        ['Portgroup', p.portGroup.name],
        ['DVPort ID', p.dvPort !== null ? String(p.dvPort) : ''],
        ['MAC Address', formatMac(sw.effectiveMac(p))],
        ['IP Address', ips.length > 0 ? formatIpv4(ips[0]) : '0.0.0.0'],
        ['Team Uplink', p.uplink ?? 'void'],
        ['Uplink Port ID', p.uplink !== null ? String(sw.uplinkPortIds.get(p.uplink) ?? 0) : '0'],
        ['Active Filters', ''],
      ]);
    });
    return blocks.join('\n\n');
  }

  private switchOf(p: VirtualPort): EsxiVSwitch {
    for (const sw of this.host.switches) if (sw.ports.includes(p)) return sw;
    return this.host.vswitch0;
  }

  /** The ESXi 5.x classic view: one table per switch, then its port groups or dvPorts. */
  private esxcfgVswitch(): string {
    const out: string[] = [];
    const sw = this.host.vswitch0;
    out.push(table(['Switch Name', 'Num Ports', 'Used Ports', 'Configured Ports', 'MTU', 'Uplinks'], [[sw.name, '128', String(this.usedPorts(sw)), '128', String(sw.mtu), sw.uplinks.map((u) => u.name).join(',')]]));
    out.push('');
    out.push(
      table(
        ['PortGroup Name', 'VLAN ID', 'Used Ports', 'Uplinks'],
        sw.portGroups.map((pg) => [pg.name, String(pg.vlan), String(sw.ports.filter((p) => p.portGroup === pg).length), sw.teamingOf(pg).active.join(',')]),
      ),
    );
    const d = this.host.dvs;
    if (d !== null) {
      out.push('');
      out.push(table(['DVS Name', 'Num Ports', 'Used Ports', 'Configured Ports', 'MTU', 'Uplinks'], [[d.name, '256', String(this.usedPorts(d)), '256', String(d.mtu), [...d.uplinks].reverse().map((u) => u.name).join(',')]]));
      out.push('');
      const rows = d.uplinks.map((u, i) => [String(i), '1', u.name]);
      for (const p of d.ports) rows.push([String(p.dvPort ?? ''), '1', p.client]);
      out.push(table(['DVPort ID', 'In Use', 'Client'], rows));
    }
    return out.join('\n');
  }

  /** Per dvPort the teaming block, where "notify switch" appears only when the port notifies. */
  private netDvs(): string {
    const d = this.host.dvs;
    if (d === null) return '';
    const out: string[] = [`switch ${dvsId(d.name)} (etherswitch)`, `\tmax ports: 256`, `\tglobal properties:`, `\t\tcom.vmware.common.alias = ${d.name} ,\tpropType = CONFIG`];
    for (const p of d.ports) {
      const t = d.teamingOf(p.portGroup);
      const s = d.securityOf(p.portGroup);
      const behaviour = [t.notifySwitches ? 'notify switch' : null, 'reverse filter', 'best effort on failure', 'shotgun on failure'].filter((x) => x !== null).join('; ');
      const label = (names: readonly string[]): string => names.map((n) => `${d.uplinkLabel(n)}; `).join('');
      out.push(`\tport ${p.dvPort ?? ''}:`);
      out.push(`\t\tcom.vmware.common.port.portgroupid = ${pgId(p.portGroup.name)} , propType = CONFIG`);
      out.push('\t\tcom.vmware.etherswitch.port.teaming:');
      out.push('\t\t\tload balancing = source virtual port id');
      out.push('\t\t\tlink selection = link state up; ');
      out.push(`\t\t\tlink behavior = ${behaviour};`);
      out.push(`\t\t\tactive = ${label(t.active)}`);
      out.push(`\t\t\tstandby = ${label(t.standby)}`);
      out.push('\t\tpropType = CONFIG');
      out.push(
        `\t\tcom.vmware.etherswitch.port.security = ${s.promiscuous ? 'allow' : 'deny'} promiscuous; ${s.macChanges ? 'allow' : 'deny'} mac change; ${s.forgedTransmits ? 'allow' : 'deny'} forged frames`,
      );
      out.push(`\t\tcom.vmware.etherswitch.port.vlan = VLAN ${p.portGroup.vlan}`);
      out.push(`\t\tcom.vmware.common.port.volatile.status = inUse linkUp portID=${p.id} propType = RUNTIME`);
      out.push(`\t\tteam uplink = ${p.uplink ?? 'void'}`);
    }
    return out.join('\n');
  }

  private netStats(): string {
    const rows: string[][] = [];
    for (const sw of this.host.switches) {
      for (const u of sw.uplinks) rows.push([String(sw.uplinkPortIds.get(u.name) ?? 0), '4', '0', sw.name, formatMac(u.port.mac), u.name]);
      for (const p of sw.ports) {
        const client = p.type === 'vmk' ? p.client : `${p.vm.name}.eth${p.vnic.index}`;
        rows.push([String(p.id), p.type === 'vmk' ? '3' : '5', p.type === 'vmk' ? '0' : '9', sw.name, formatMac(sw.effectiveMac(p)), client]);
      }
    }
    rows.sort((a, b) => Number(a[0]) - Number(b[0]));
    const w = [16, 5, 7, 16, 18];
    const line = (r: readonly string[]): string =>
      `${r[0].padEnd(w[0])} ${r[1].padStart(w[1])} ${r[2].padStart(w[2])} ${r[3].padEnd(w[3])} ${r[4].padEnd(w[4])} ${r[5]}`;
    return [line(['PortNum', 'Type', 'SubType', 'SwitchName', 'MACAddress', 'ClientName']), ...rows.map(line)].join('\n');
  }
}

function parseOptions(w: readonly string[]): { positional: string[]; opts: Map<string, string> } {
  const positional: string[] = [];
  const opts = new Map<string, string>();
  for (let i = 0; i < w.length; i++) {
    const a = w[i];
    const long = /^--([a-z-]+)=(.*)$/.exec(a);
    if (long !== null) opts.set(long[1], long[2]);
    else if (/^--?[a-z-]+$/.test(a)) {
      opts.set(a.replace(/^--?/, ''), w[i + 1] ?? '');
      i++;
    } else positional.push(a);
  }
  return { positional, opts };
}

/** A stable VDS UUID-like ID from the switch name, in ESXi's spaced-hex form. */
function dvsId(name: string): string {
  let h = 0x811c9dc5;
  const bytes: string[] = [];
  for (let i = 0; i < 16; i++) {
    for (let j = 0; j < name.length; j++) {
      h ^= name.charCodeAt(j) + i;
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    bytes.push((h & 0xff).toString(16).padStart(2, '0'));
  }
  return `${bytes.slice(0, 8).join(' ')}-${bytes.slice(8).join(' ')}`;
}

/** A vCenter-style dvPortgroup key from its name, stable across runs. */
function pgId(name: string): string {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) % 9000;
  return `dvportgroup-${1000 + h}`;
}
