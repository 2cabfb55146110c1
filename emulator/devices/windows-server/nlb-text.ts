/**
 * What nlb.exe (and its legacy name wlbs.exe) prints. Shapes follow the utility as Microsoft's
 * KB articles quote it (242242, 812870): a banner, `Cluster <ip>`, then the convergence lines;
 * `display` adds the configuration, event and IP sections before the current state. The exact
 * ip2mac wording is not verified [U: DOMAIN.md §1.5]; LabBox prints DOMAIN's recommended form.
 */
import { formatIpv4, parseIpv4, prefixMask } from '../../core/ipv4.ts';
import { clusterMac, igmpClusterGroup, igmpClusterMac, multicastClusterMac, nlbMacText, unicastClusterMac } from '../../proto/nlb/addresses.ts';
import type { NlbDriver } from '../../proto/nlb/driver.ts';
import type { PortRule } from '../../proto/nlb/port-rules.ts';
import { windowsAdapterName } from './adapters.ts';
import { windowsTime } from './clock.ts';

export const NLB_BANNER = 'WLBS Cluster Control Utility V2.6 (c) 1997-2007 Microsoft Corporation.';

export function nlbUsage(): string {
  return [
    NLB_BANNER,
    'Usage: NLB <command> [/PASSW [<password>]] [/PORT <port>]',
    '<command>',
    '  help                               - displays online help',
    '  ip2mac    <cluster>                - displays the MAC address for the specified cluster',
    '  reload    [<cluster> | ALL]        - reloads the driver parameters from the registry',
    '  display   [<cluster> | ALL]        - displays configuration parameters, current status, and last several event log messages',
    '  query     [<cluster> | ALL]        - displays the current cluster state and the list of host priorities',
    '  start     [<cluster> | ALL]        - starts cluster operations',
    '  stop      [<cluster> | ALL]        - stops cluster operations',
    '',
  ].join('\n');
}

export function ip2macText(arg: string): string {
  let vip: number;
  try {
    vip = parseIpv4(arg);
  } catch {
    return `${NLB_BANNER}\nInvalid cluster IP address ${arg}\n`;
  }
  return [
    NLB_BANNER,
    `Cluster [${formatIpv4(vip)}]`,
    `Unicast MAC address is ${nlbMacText(unicastClusterMac(vip))}`,
    `Multicast MAC address is ${nlbMacText(multicastClusterMac(vip))}`,
    `IGMP multicast MAC address is ${nlbMacText(igmpClusterMac(vip))}`,
    '',
  ].join('\n');
}

/** The convergence lines of `query` (and the end of `display`). */
export function queryText(nlb: NlbDriver): string {
  const cfg = nlb.config;
  const m = nlb.membership;
  const id = cfg.hostId;
  const lines = [NLB_BANNER, `Cluster ${formatIpv4(cfg.clusterIp)}`];
  if (!nlb.bound) {
    lines.push(`Host ${id} is not bound to the network adapter: ${nlb.misconfiguration[0] ?? 'NLB is not bound'}.`);
  } else if (m.state === 'stopped') {
    lines.push(`Host ${id} is stopped and does not know convergence state of the cluster.`);
  } else if (m.state === 'converging') {
    lines.push(`Host ${id} has entered a converging state ${m.convergences} time(s) since joining the cluster`, '  and is still in a state of convergence.');
    lines.push(`Host ${id} converging with the following host(s) as part of the cluster:`, m.present().join(', '));
  } else {
    lines.push(
      `Host ${id} has entered a converging state ${m.convergences} time(s) since joining the cluster`,
      `  and the last convergence completed at approximately: ${windowsTime(m.lastConvergedNs ?? 0)}`,
    );
    lines.push(`Host ${id} converged${m.isDefault() ? ' as DEFAULT' : ''} with the following host(s) as part of the cluster:`, m.converged.join(', '));
  }
  return lines.join('\n') + '\n';
}

function ruleRow(r: PortRule): string {
  const prot = r.protocol === 'both' ? 'Both' : r.protocol.toUpperCase();
  const mode = r.filtering === 'multiple' ? 'Multiple' : r.filtering === 'single' ? 'Single' : 'Disabled';
  const load = r.filtering === 'multiple' ? 'Eql' : '';
  const aff = r.filtering === 'multiple' ? r.affinity[0].toUpperCase() + r.affinity.slice(1) : '';
  return `${'All'.padEnd(15)} ${String(r.start).padStart(5)} ${String(r.end).padStart(5)} ${prot.padEnd(4)} ${mode.padEnd(8)} ${''.padStart(3)} ${load.padStart(4)} ${aff}`.trimEnd();
}

function onOff(b: boolean): string {
  return b ? 'ENABLED' : 'DISABLED';
}

export function displayText(nlb: NlbDriver, nowNs: number, dedicatedPrefix: number): string {
  const cfg = nlb.config;
  const mask = formatIpv4(prefixMask(cfg.clusterPrefix));
  const kv = (k: string, v: string | number): string => `${k.padEnd(26)}= ${v}`;
  const out: string[] = [NLB_BANNER, `Cluster ${formatIpv4(cfg.clusterIp)}`, '', '=== Configuration: ===', ''];
  out.push(
    kv('Current time', windowsTime(nowNs)),
    kv('ParametersVersion', 4),
    kv('AliveMsgPeriod', cfg.timers.aliveMsgPeriodMs),
    kv('AliveMsgTolerance', cfg.timers.aliveMsgTolerance),
    kv('ClusterNetworkAddress', nlbMacText(clusterMac(cfg.mode, cfg.clusterIp))),
    kv('ClusterIPAddress', formatIpv4(cfg.clusterIp)),
    kv('ClusterNetworkMask', mask),
    kv('DedicatedIPAddress', formatIpv4(nlb.dedicatedIp)),
    kv('DedicatedNetworkMask', formatIpv4(prefixMask(dedicatedPrefix))),
    kv('HostPriority', cfg.hostId),
    kv('ClusterModeOnStart', cfg.startOnBoot ? 'STARTED' : 'STOPPED'),
    kv('FilterICMP', onOff(cfg.filterIcmp)),
    kv('MulticastSupportEnable', cfg.mode === 'unicast' ? 0 : 1),
    kv('MulticastARPEnable', cfg.multicastSpoof ? 1 : 0),
    kv('MaskSourceMAC', cfg.maskSourceMac ? 1 : 0),
    kv('IGMPSupport', onOff(cfg.mode === 'igmp-multicast')),
    kv('IPtoMcastIP', onOff(cfg.mode === 'igmp-multicast')),
    kv('McastIPAddress', cfg.mode === 'igmp-multicast' ? formatIpv4(igmpClusterGroup(cfg.clusterIp)) : '0.0.0.0'),
    '',
    `Port rules (${cfg.rules.length}):`,
    '      VIP       Start  End  Prot   Mode   Pri Load Affinity',
    '--------------- ----- ----- ---- -------- --- ---- --------',
    ...cfg.rules.map(ruleRow),
    '',
    '=== Event messages: ===',
    '',
  );
  const events = nlb.log.slice(-10);
  if (events.length === 0) out.push('(none)');
  for (const e of events) out.push(`${windowsTime(e.t)}  ${e.text}`);
  out.push('', '=== IP configuration: ===', '');
  out.push(kv('Adapter', windowsAdapterName(nlb.ifc.name)), kv('Physical address', nlbMacText(nlb.ifc.mac)));
  for (const a of nlb.ifc.addrs) out.push(kv('IP address', `${formatIpv4(a.ip)}/${formatIpv4(prefixMask(a.prefix))}${a.state === 'preferred' ? '' : ` (${a.state})`}`));
  if (nlb.misconfiguration.length > 0) {
    out.push('', 'Misconfigured interface:');
    for (const p of nlb.misconfiguration) out.push(`  ${p}`);
  }
  out.push('', '=== Current state: ===', '');
  out.push(queryText(nlb).split('\n').slice(1).join('\n'));
  return out.join('\n');
}
