/**
 * repadmin.exe on a domain controller: /showrepl, /replsummary and /syncall, in the shapes of
 * DOMAIN.md §8.2. Only the domain naming context is held, so only it is listed. Wording not
 * confirmed from a capture is marked [U].
 */
import { SECOND } from '../../core/time.ts';
import { REPL_ERRORS, type AdDomainController, type ReplicaLink } from './ad-dc.ts';

const START = { year: 2014, month: 3, day: 24, secondsOfDay: 9 * 3600 };
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** `YYYY-MM-DD HH:MM:SS` from the run's clock, which starts at 2014-03-24 09:00:00 (clock.ts). */
export function replTime(ns: number): string {
  let total = START.secondsOfDay + Math.floor(ns / SECOND);
  let { year, month, day } = START;
  while (total >= 86400) {
    total -= 86400;
    day++;
    if (day > DAYS_IN_MONTH[month - 1] + (month === 2 && year % 4 === 0 ? 1 : 0)) {
      day = 1;
      month = month === 12 ? 1 : month + 1;
      if (month === 1) year++;
    }
  }
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${year}-${p(month)}-${p(day)} ${p(Math.floor(total / 3600))}:${p(Math.floor((total % 3600) / 60))}:${p(total % 60)}`;
}

function hex(code: number): string {
  return `0x${(code >>> 0).toString(16)}`;
}

function linkText(l: ReplicaLink): string {
  const s = l.source;
  let out = `    ${s.site}\\${s.server.hostname} via RPC\n        DSA object GUID: ${s.dsaGuid}\n`;
  const at = l.lastAttemptNs === null ? '(never)' : replTime(l.lastAttemptNs);
  if (l.lastResult === 0) return out + `        Last attempt @ ${at} was successful.\n`;
  out += `        Last attempt @ ${at} failed, result ${l.lastResult} (${hex(l.lastResult)}):\n            ${REPL_ERRORS[l.lastResult] ?? ''}\n`;
  out += `        ${l.consecutiveFailures} consecutive failure(s).\n`;
  return out + `        Last success @ ${l.lastSuccessNs === null ? '(never)' : replTime(l.lastSuccessNs)}.\n`;
}

export function showRepl(dc: AdDomainController): string {
  let out = `${dc.site}\\${dc.server.hostname}\nDSA Options: IS_GC\nSite Options: (none)\nDSA object GUID: ${dc.dsaGuid}\nDSA invocationID: ${dc.nc.invocationId}\n\n`;
  out += '==== INBOUND NEIGHBORS ======================================\n\n';
  out += `${dc.nc.dn}\n`;
  for (const p of dc.partners()) out += linkText(dc.link(p)) + '\n';
  return out;
}

/** `:51s`, `06m:08s`, `HH:MM:SS`, or `(unknown)` for a link that never succeeded. */
export function deltaText(ns: number | null): string {
  if (ns === null) return '(unknown)';
  const s = Math.floor(ns / SECOND);
  const p = (n: number): string => String(n).padStart(2, '0');
  if (s < 60) return `:${p(s)}s`;
  if (s < 3600) return `${p(Math.floor(s / 60))}m:${p(s % 60)}s`;
  return `${p(Math.floor(s / 3600))}:${p(Math.floor((s % 3600) / 60))}:${p(s % 60)}`;
}

function summaryRow(name: string, links: ReplicaLink[], now: number): string {
  const fails = links.filter((l) => l.lastResult !== 0);
  const never = links.some((l) => l.lastSuccessNs === null && l.lastAttemptNs !== null);
  const largest = never ? null : Math.max(0, ...links.map((l) => (l.lastSuccessNs === null ? 0 : now - l.lastSuccessNs)));
  const delta = deltaText(largest);
  const pct = links.length === 0 ? 0 : Math.floor((fails.length * 100) / links.length);
  let row = ` ${name}`.padEnd(34 - Math.min(delta.length, 33)) + delta + `${String(fails.length).padStart(5)} /${String(links.length).padStart(4)}${String(pct).padStart(5)}`;
  if (fails.length > 0) row += `  (${fails[0].lastResult}) ${REPL_ERRORS[fails[0].lastResult] ?? ''}`;
  return row + '\n';
}

export function replSummary(dc: AdDomainController): string {
  const now = dc.net.now;
  const dcs = dc.domainControllers();
  let out = `Replication Summary Start Time: ${replTime(now)}\n\nBeginning data collection for replication summary, this may take awhile:\n`;
  for (let i = 0; i < dcs.length; i += 50) out += `  ${'.'.repeat(Math.min(50, dcs.length - i))}\n`;
  out += '\nSource DSA          largest delta    fails/total %%   error\n';
  const names = [...dcs].sort((a, b) => a.server.hostname.localeCompare(b.server.hostname));
  for (const s of names) {
    const links = dcs.filter((d) => d !== s && d.links.has(s.dsaGuid)).map((d) => d.link(s));
    out += summaryRow(s.server.hostname, links, now);
  }
  out += '\nDestination DSA     largest delta    fails/total %%   error\n';
  for (const d of names) out += summaryRow(d.server.hostname, d.partners().map((p) => d.link(p)), now);
  return out + '\n\n';
}

/**
 * `/syncall`: pull the domain NC from every inbound partner now, reporting each as it ends
 * [U: the CALLBACK MESSAGE wording]. /A, /e, /d, /S and /P are accepted; with only the domain NC
 * and one site they change nothing.
 */
export function syncAll(dc: AdDomainController, print: (t: string) => void, finish: () => void): void {
  const partners = dc.partners();
  print(`Syncing all NC's held on ${dc.server.hostname}.\nSyncing partition: ${dc.nc.dn}\n`);
  const errors: string[] = [];
  let left = partners.length;
  const done = (): void => {
    print('CALLBACK MESSAGE: SyncAll Finished.\n');
    print(errors.length === 0 ? 'SyncAll terminated with no errors.\n\n' : `SyncAll reported the following errors:\n${errors.join('')}\n`);
    finish();
  };
  if (left === 0) return done();
  for (const p of partners) {
    const fromTo = `    From: ${p.dsaName}\n    To  : ${dc.dsaName}\n`;
    print(`CALLBACK MESSAGE: The following replication is in progress:\n${fromTo}`);
    dc.pull(p, (result) => {
      if (result === 0) print(`CALLBACK MESSAGE: The following replication completed successfully:\n${fromTo}`);
      else {
        const what = `${result} (${hex(result)}):\n    ${REPL_ERRORS[result] ?? ''}\n`;
        print(`CALLBACK MESSAGE: Error contacting server ${p.dsaName} (network error): ${what}`);
        errors.push(`Error issuing replication: ${what}${fromTo}`);
      }
      if (--left === 0) done();
    });
  }
}

const USAGE = 'Usage: repadmin <cmd> <args> [/u:{domain\\user}] [/pw:{password|*}]\n\nSupported <cmd>s & args:\n     /showrepl /replsummary /syncall\n\n';

/** `repadmin …`; `late` runs a command whose output comes as the run goes on. */
export function repadmin(dc: AdDomainController | null, args: string[], late: (start: (print: (t: string) => void, finish: () => void) => void) => string): string {
  const cmd = (args[0] ?? '').toLowerCase();
  if (cmd === '' || cmd === '/?') return USAGE;
  if (dc === null || !dc.running) return 'Repadmin: error binding to the local DC:\n    The RPC server is unavailable.\n\n';
  switch (cmd) {
    case '/showrepl':
      return showRepl(dc);
    case '/replsummary':
      return replSummary(dc);
    case '/syncall':
      return late((print, finish) => syncAll(dc, print, finish));
    default:
      return USAGE;
  }
}
