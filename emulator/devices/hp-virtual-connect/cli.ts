/**
 * The VC Manager CLI (`->` prompt) `show` subset: profiles, interconnects, uplink ports, uplink
 * sets, networks and firmware. Like the real one it answers only while a VC Manager runs in the
 * domain.
 *
 * The element names and the `enc0:<bay>:X<n>` port ids are VCM's. The column sets and the uplink
 * port status words (Linked (Active), Linked (Standby), Not Linked) follow the VC GUI's terms as
 * we remember them; we found no VCM CLI transcript to check them against [U]. "Linked (Not
 * Bundled)" for a port whose LACP partner answers but does not aggregate it is ours [U].
 */
import type { CliSession } from '../../cli/session.ts';
import type { Port } from '../../core/port.ts';
import { vcMac, vcWwn } from './config.ts';
import { VcDomain } from './domain.ts';
import { moduleModel } from './info.ts';
import type { VcModule } from './module.ts';

function table(headers: string[], rows: string[][]): string {
  const w = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(w[i])).join('  ').trimEnd();
  return [line(headers), w.map((n) => '='.repeat(n)).join('=='), ...rows.map(line)].join('\n') + '\n';
}

const SHOWS = ['profile', 'interconnect', 'uplinkport', 'uplinkset', 'vnet', 'network', 'firmware', 'mac-cache'] as const;

export class VcCli implements CliSession {
  private readonly lines: string[] = [];

  constructor(private readonly module: VcModule) {}

  prompt(): string {
    return '-> ';
  }

  history(): readonly string[] {
    return this.lines;
  }

  complete(partial: string): string[] {
    const words = partial.trimStart().split(/\s+/);
    if (words.length <= 1) return ['show', 'help'].filter((w) => w.startsWith(words[0] ?? ''));
    return SHOWS.filter((s) => s.startsWith(words[1])).map((s) => `show ${s}`);
  }

  input(line: string): string {
    const text = line.trim();
    if (text === '') return '';
    this.lines.push(text);
    const words = text.split(/\s+/);
    const verb = words[0].toLowerCase();
    if (verb === 'help' || verb === '?') return `Managed elements: ${SHOWS.join(' ')}\nUsage: show <element> [name]\n`;
    if (verb !== 'show') return `ERROR: Invalid command: ${words[0]}\n`;
    const d = this.module.domain;
    if (d === null || d.vcmPrimary === null) return 'ERROR: Unable to connect to the Virtual Connect Manager (no primary VC Manager in the domain)\n';
    const what = (words[1] ?? '').toLowerCase();
    const match = SHOWS.filter((s) => s.startsWith(what));
    if (what === '' || match.length !== 1) return `ERROR: Invalid managed element: ${words[1] ?? ''}\n`;
    const el = match[0];
    const arg = words[2];
    switch (el) {
      case 'profile':
        return this.showProfile(arg);
      case 'interconnect':
        return this.showInterconnect();
      case 'uplinkport':
        return this.showUplinkport(arg);
      case 'uplinkset':
        return this.showUplinkset();
      case 'vnet':
      case 'network':
        return this.showNetwork();
      case 'firmware':
        return this.showFirmware();
      case 'mac-cache':
        return this.showMacCache();
    }
  }

  private get domain() {
    return this.module.domain!;
  }

  private showProfile(name?: string): string {
    const d = this.domain;
    const profiles = [...d.config.profiles.values()].filter((p) => name === undefined || p.name.toLowerCase() === name.toLowerCase());
    if (name !== undefined && profiles.length === 0) return `ERROR: Profile not found: ${name}\n`;
    if (name === undefined) {
      return table(
        ['Name', 'Device Bay', 'Server', 'Status'],
        profiles.map((p) => [p.name, p.bay !== null ? `enc0:${p.bay}` : '<Unassigned>', d.profileOf(p.bay ?? -1) === p ? 'Present' : 'No Server', 'OK']),
      );
    }
    const p = profiles[0];
    const placed = p.bay !== null ? d.placements(p.bay) : [];
    let out = `Name       : ${p.name}\nDevice Bay : ${p.bay !== null ? `enc0:${p.bay}` : '<Unassigned>'}\n\nEthernet Network Connections\n`;
    out += table(
      ['Port', 'Network Name', 'Status', 'PXE', 'MAC Address', 'Allocated Speed', 'Server Port'],
      p.connections.filter((c) => c.kind === 'enet').map((c) => {
        const pc = placed.find((x) => x.connection === c);
        const netName = c.networks.length === 0 ? '<Unassigned>' : c.networks.length === 1 && c.networks[0].vlan === null ? c.networks[0].vnet : 'Multiple Network';
        return [String(c.index), netName, 'OK', 'UseBIOS', c.mac !== null ? vcMac(c.mac) : 'Factory-Default', pc !== undefined ? `${pc.grantedBps / 1e9}Gb` : '-- --', pc?.placement.label ?? '-- --'];
      }),
    );
    const fcoe = p.connections.filter((c) => c.kind === 'fcoe');
    if (fcoe.length > 0) {
      out += '\nFCoE Connections\n';
      out += table(
        ['Port', 'Connected To', 'WWPN', 'Allocated Speed', 'Server Port'],
        fcoe.map((c) => {
          const pc = placed.find((x) => x.connection === c);
          return [String(c.index), c.fabric ?? '<Unassigned>', c.wwpn !== null ? vcWwn(c.wwpn) : '--', pc !== undefined ? `${pc.grantedBps / 1e9}Gb` : '-- --', pc?.placement.label ?? '-- --'];
        }),
      );
    }
    return out;
  }

  private showInterconnect(): string {
    const d = this.domain;
    const rows = [...d.modules.entries()].sort((a, b) => a[0] - b[0]).map(([bay, m]) => {
      const status = m.state === 'up' ? 'OK' : m.state === 'absent' ? 'Not Present' : m.state === 'booting' ? 'Starting' : m.state === 'stopping' ? 'Shutting Down' : 'Powered Off';
      return [`enc0:${bay}`, moduleModel(m.type).model, status, d.vcmRole(bay) === 'None' ? '--' : d.vcmRole(bay), m.firmware];
    });
    return table(['ID', 'Product Name', 'Status', 'VCM Role', 'Firmware'], rows);
  }

  private showUplinkset(): string {
    const d = this.domain;
    const rows: string[][] = [];
    for (const s of d.config.uplinkSets.values()) {
      const nets = [...d.config.vnets.values()].filter((v) => v.sus === s.name);
      const active = nets.map((v) => d.activeUplink(v.id)).find((a) => a !== null);
      rows.push([
        s.name,
        s.ports.map((r) => `enc0:${r.bay}:${r.port}`).join(','),
        nets.length > 0 && active === undefined ? 'Failed' : 'OK',
        active ? VcDomain.unitName(active) : '--',
        s.connectionMode,
      ]);
    }
    return table(['Name', 'Uplink Ports', 'Status', 'Active Port', 'Connection Mode'], rows);
  }

  private showNetwork(): string {
    const d = this.domain;
    const rows = [...d.config.vnets.values()].map((v) => {
      const a = d.activeUplink(v.id);
      return [
        v.name,
        a !== null ? 'OK' : 'Failed',
        v.smartLink ? 'Enabled' : 'Disabled',
        v.sus ?? '--',
        v.vlan !== null ? String(v.vlan) : '--',
        a !== null ? VcDomain.unitName(a) : '--',
        d.config.policyOf(v).connectionMode,
      ];
    });
    return table(['Name', 'Status', 'Smart Link', 'Shared Uplink Set', 'VLAN ID', 'Active Uplink', 'Connection Mode'], rows);
  }

  /** Every uplink port of the domain's Ethernet modules, or one port in detail. */
  private showUplinkport(id?: string): string {
    const d = this.domain;
    const ports: { bay: number; port: Port; module: VcModule }[] = [];
    for (const m of d.ethernetModules()) for (const p of m.uplinks) ports.push({ bay: m.bay ?? 0, port: p, module: m });
    if (id === undefined) {
      return table(
        ['ID', 'Enclosure', 'Status', 'Speed', 'LAG ID', 'Used By'],
        ports.map(({ bay, port, module }) => {
          const u = this.uplinkState(module, port);
          return [`enc0:${bay}:${port.name}`, 'enc0', u.status, port.operUp ? `${(port.link?.rateBps ?? port.speedBps) / 1e9}Gb` : '--', u.lag !== null ? String(u.lag) : '--', u.usedBy ?? '--'];
        }),
      );
    }
    const hit = ports.find((x) => `enc0:${x.bay}:${x.port.name}`.toLowerCase() === id.toLowerCase());
    if (hit === undefined) return `ERROR: Uplink port not found: ${id}
`;
    const { bay, port, module } = hit;
    const u = this.uplinkState(module, port);
    const g = d.config.uplinkGroup(bay, port.name);
    const lacp = module.lacp.view(port);
    const auto = g !== null && g.policy.connectionMode === 'Auto';
    const partner = lacp.partner;
    const rows: [string, string][] = [
      ['ID', `enc0:${bay}:${port.name}`],
      ['Status', u.status],
      ['Used By', u.usedBy ?? '--'],
      ['Connection Mode', g?.policy.connectionMode ?? '--'],
      ['Port Role', !auto && g !== null ? (g.ref.role ?? '--') : '--'],
      ['LACP', auto ? `Enabled (Active, ${g.policy.lacpTimer} timer)` : 'Disabled'],
      ['LAG ID', u.lag !== null ? String(u.lag) : '--'],
      ['LACP Partner', auto && partner !== null ? `${vcMac(partner.system)} Key ${partner.key} Port ${partner.port}` : '--'],
    ];
    const w = Math.max(...rows.map((r) => r[0].length));
    return rows.map(([k, v]) => `${k.padEnd(w)} : ${v}`).join('\n') + '\n';
  }

  /** What VCM says about one uplink port: its status, the LAG it is bundled in, and who uses it. */
  private uplinkState(module: VcModule, port: Port): { status: string; lag: number | null; usedBy: string | null } {
    const d = this.domain;
    const g = module.bay !== null ? d.config.uplinkGroup(module.bay, port.name) : null;
    const usedBy = g?.name ?? null;
    const lacp = module.lacp.view(port);
    const lag = lacp.bundled ? lacp.lagId : null;
    if (module.state !== 'up') return { status: 'Not Available', lag: null, usedBy };
    if (!port.operUp) return { status: 'Not Linked', lag: null, usedBy };
    if (g === null) return { status: 'Linked', lag: null, usedBy };
    const active = [...d.config.vnets.values()].some((v) => {
      const a = d.activeUplink(v.id);
      return a !== null && a.module === module && a.ports.includes(port);
    });
    if (active) return { status: 'Linked (Active)', lag, usedBy };
    if (g.policy.connectionMode === 'Auto' && !lacp.bundled && !lacp.individual) return { status: 'Linked (Not Bundled)', lag: null, usedBy };
    return { status: 'Linked (Standby)', lag, usedBy };
  }

  private showFirmware(): string {
    const d = this.domain;
    const rows = [...d.modules.entries()].sort((a, b) => a[0] - b[0]).map(([bay, m]) => [`enc0:${bay}`, moduleModel(m.type).model, m.firmware, m.stagedFirmware ?? '--', m.state === 'up' ? 'OK' : 'Not Available']);
    return table(['ID', 'Type', 'Firmware Version', 'Pending Activation', 'Status'], rows);
  }

  private showMacCache(): string {
    const rows = this.module.macEntries().map((e) => [this.domain.config.vnetById(e.vnet)?.name ?? String(e.vnet), vcMac(e.mac), `enc0:${this.module.bay}:${e.port}`]);
    return table(['Network', 'MAC Address', 'Port'], rows);
  }
}
