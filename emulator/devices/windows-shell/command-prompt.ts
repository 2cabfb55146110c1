/**
 * A Windows command prompt over an IP stack: ipconfig, arp, ping, netsh, hostname. Kinds add
 * their own programs (nlb.exe on a server) as extra commands.
 *
 * Ping and the console contract: a console line returns at once (emulator/cli/session.ts) while
 * replies arrive only as simulated time advances, so `ping` starts a probe flow in the IP stack
 * and prints its header; the replies that arrived since are printed in front of the answer to
 * every later line (an empty line just shows them), as a real console shows what scrolled by
 * while nobody looked. While a ping runs in the foreground no prompt shows and typed commands
 * are not run, as in cmd.exe; `^C` (Ctrl+C) stops `ping -t` and prints the statistics.
 * `-n N` pings end by themselves after N probes and their statistics.
 */
import type { CliSession } from '../../cli/session.ts';
import { formatIpv4, parseIpv4 } from '../../core/ipv4.ts';
import { MS } from '../../core/time.ts';
import type { PingFlow, PingProbe } from '../../l3/ping.ts';
import { addressesOf } from '../../l3/dns-resolver.ts';
import { TYPE_A } from '../../wire/dns.ts';
import { displayDnsText, flushDnsText, nslookup, registerDnsText } from './dns-commands.ts';
import { arpText, ipconfigText, netshInterfacesText, type WindowsMachine } from './net-text.ts';
import { winrmCommand } from './winrm-command.ts';

const NOT_RECOGNIZED = (cmd: string): string => `'${cmd}' is not recognized as an internal or external command,\noperable program or batch file.\n`;

/** A program of one kind: its arguments in, its output back. */
export type WindowsProgram = (args: string[]) => string;

interface ForegroundPing {
  flow: PingFlow;
  shown: number;
}

/** Output a program delivers as simulated time passes (a name lookup waiting for its server). */
interface LateOutput {
  text: string;
  done: boolean;
}

export class WindowsCommandPrompt implements CliSession {
  private readonly lines: string[] = [];
  private ping: ForegroundPing | null = null;
  private late: LateOutput | null = null;
  private readonly programs: ReadonlyMap<string, WindowsProgram>;

  constructor(
    private readonly machine: WindowsMachine,
    extra: Readonly<Record<string, WindowsProgram>> = {},
    private readonly promptText = 'C:\\Users\\Administrator>',
  ) {
    const base: Record<string, WindowsProgram> = {
      ipconfig: (a) => this.ipconfig(a),
      arp: (a) => this.arp(a),
      ping: (a) => this.startPing(a),
      netsh: (a) => this.netsh(a),
      nslookup: (a) => this.runLate((print, finish) => (machine.dns === undefined ? finish() : nslookup(a, machine.dns, print, finish))),
      hostname: () => `${machine.hostname()}\n\n`,
      winrm: (a) => winrmCommand(a, null),
      cls: () => '',
    };
    this.programs = new Map(Object.entries({ ...base, ...extra }));
  }

  prompt(): string {
    return this.ping !== null || this.late !== null ? '' : this.promptText;
  }

  history(): readonly string[] {
    return this.lines;
  }

  complete(partial: string): string[] {
    const p = partial.toLowerCase();
    return [...this.programs.keys()].filter((w) => w !== 'cls' && w.startsWith(p)).sort();
  }

  input(line: string): string {
    const text = line.trim();
    if (text !== '') this.lines.push(text);
    if (this.late !== null) {
      // As with ping, typed lines are not run while a lookup waits; what it printed shows.
      const late = this.late;
      const out = late.text;
      late.text = '';
      if (!late.done) return out;
      this.late = null;
      return this.ping !== null ? out + this.pingProgress(/^(\^c|ctrl\+c|ctrl-c)$/i.test(text)) : out;
    }
    if (this.ping !== null) {
      const stop = /^(\^c|ctrl\+c|ctrl-c)$/i.test(text);
      return this.pingProgress(stop);
    }
    if (text === '') return '';
    const args = text.split(/\s+/);
    const program = this.programs.get(args[0].toLowerCase().replace(/\.exe$/, ''));
    if (program === undefined) return NOT_RECOGNIZED(args[0]) + '\n';
    return program(args.slice(1));
  }

  // ---- ipconfig, arp, netsh ---------------------------------------------------------------

  private ipconfig(args: string[]): string {
    const opt = (args[0] ?? '').toLowerCase();
    if (opt === '') return ipconfigText(this.machine, false);
    if (opt === '/all' || opt === '-all') return ipconfigText(this.machine, true);
    const dns = this.machine.dns;
    if (dns !== undefined && (opt === '/flushdns' || opt === '-flushdns')) return flushDnsText(dns);
    if (dns !== undefined && (opt === '/displaydns' || opt === '-displaydns')) return displayDnsText(dns);
    if (dns !== undefined && (opt === '/registerdns' || opt === '-registerdns')) return registerDnsText(this.machine, dns);
    return `\nError: unrecognized or incomplete command line.\n\nUSAGE:\n    ipconfig [/allcompartments] [/? | /all]\n\n`;
  }

  private arp(args: string[]): string {
    const opt = (args[0] ?? '').toLowerCase();
    if (opt === '-a' || opt === '/a' || opt === '-g') return arpText(this.machine) + '\n';
    if (opt === '-d' || opt === '/d') {
      const which = args[1];
      for (const ifc of this.machine.stack.interfaces) {
        for (const [ip, e] of [...ifc.arp.entries]) {
          if (e.state === 'incomplete') continue;
          if (which === undefined || which === '*' || safeIp(which) === ip) ifc.arp.entries.delete(ip);
        }
      }
      return '';
    }
    return '\nDisplays and modifies the IP-to-Physical address translation tables used by\naddress resolution protocol (ARP).\n\nARP -s inet_addr eth_addr [if_addr]\nARP -d inet_addr [if_addr]\nARP -a [inet_addr] [-N if_addr] [-v]\n\n';
  }

  /** Kinds with more netsh contexts (RRAS on a server) answer those first and pass the rest here. */
  protected netsh(args: string[]): string {
    const line = args.map((a) => a.toLowerCase()).join(' ');
    if (/^(interface|int) (ipv4|ip) show (interfaces|int|in)$/.test(line)) return netshInterfacesText(this.machine) + '\n';
    return `The following command was not found: ${args.join(' ')}.\n\n`;
  }

  // ---- ping -------------------------------------------------------------------------------

  private startPing(args: string[]): string {
    let count = 4;
    let size = 32;
    let timeoutMs = 4000;
    let target: string | null = null;
    for (let i = 0; i < args.length; i++) {
      const a = args[i].toLowerCase();
      if (a === '-t' || a === '/t') count = 0;
      else if ((a === '-n' || a === '/n') && args[i + 1] !== undefined) count = Math.max(1, Number(args[++i]) | 0);
      else if ((a === '-l' || a === '/l') && args[i + 1] !== undefined) size = Math.max(0, Number(args[++i]) | 0);
      else if ((a === '-w' || a === '/w') && args[i + 1] !== undefined) timeoutMs = Math.max(1, Number(args[++i]) | 0);
      else target = args[i];
    }
    if (target === null) return '\nUsage: ping [-t] [-n count] [-l size] [-w timeout] target_name\n\n';
    const ip = safeIp(target);
    const notFound = `Ping request could not find host ${target}. Please check the name and try again.\n\n`;
    const begin = (to: number): void => {
      this.ping = { flow: this.machine.stack.ping(to, { count, size, timeoutNs: timeoutMs * MS }), shown: 0 };
    };
    if (ip !== null) {
      begin(ip);
      return `\nPinging ${formatIpv4(ip)} with ${size} bytes of data:\n`;
    }
    const dns = this.machine.dns;
    if (dns === undefined) return notFound;
    const name = target;
    return this.runLate((print, finish) =>
      dns.resolve(name, TYPE_A, (r) => {
        const addr = r.kind === 'answer' ? addressesOf(r.records)[0] : undefined;
        if (r.kind === 'answer' && addr !== undefined) {
          begin(addr);
          print(`\nPinging ${r.name} [${formatIpv4(addr)}] with ${size} bytes of data:\n`);
        } else print(notFound);
        finish();
      }),
    );
  }

  /**
   * Runs a program whose output may wait for simulated time: what it prints at once is the
   * answer, the rest shows in front of the next lines until it finishes.
   */
  protected runLate(start: (print: (text: string) => void, finish: () => void) => void): string {
    const job: LateOutput = { text: '', done: false };
    start(
      (t) => {
        job.text += t;
      },
      () => {
        job.done = true;
      },
    );
    const now = job.text;
    job.text = '';
    if (!job.done) this.late = job;
    return now;
  }

  /** Replies that arrived since the last line; statistics when the ping ended or was stopped. */
  private pingProgress(stop: boolean): string {
    const fg = this.ping as ForegroundPing;
    const { flow } = fg;
    let out = '';
    while (fg.shown < flow.probes.length && flow.probes[fg.shown].result !== 'pending') out += probeLine(flow.probes[fg.shown++], flow) + '\n';
    if (stop) flow.running = false;
    const finished = !flow.running && fg.shown === flow.probes.length;
    if (stop || finished) {
      out += statistics(flow, fg.shown);
      if (stop) out += 'Control-C\n^C\n';
      out += '\n';
      this.ping = null;
    }
    return out;
  }
}

function safeIp(text: string): number | null {
  try {
    return parseIpv4(text);
  } catch {
    return null;
  }
}

function probeLine(p: PingProbe, flow: PingFlow): string {
  switch (p.result) {
    case 'reply': {
      const rtt = ((p.answeredNs as number) - p.sentNs) / MS;
      const time = rtt < 1 ? 'time<1ms' : `time=${Math.round(rtt)}ms`;
      return `Reply from ${formatIpv4(p.from ?? flow.target)}: bytes=${flow.options.size} ${time} TTL=${p.ttl ?? 128}`;
    }
    case 'timeout':
      return 'Request timed out.';
    case 'unreachable':
      return `Reply from ${formatIpv4(p.from ?? 0)}: Destination host unreachable.`;
    case 'ttl-expired':
      return `Reply from ${formatIpv4(p.from ?? 0)}: TTL expired in transit.`;
    case 'transmit-failed':
      // The request never left: the stack had no usable source address for it [U: Windows 7+ wording].
      return 'PING: transmit failed. General failure.';
    case 'pending':
      return '';
  }
}

function statistics(flow: PingFlow, shown: number): string {
  const done = flow.probes.slice(0, shown);
  const replies = done.filter((p) => p.result === 'reply' || p.result === 'unreachable' || p.result === 'ttl-expired');
  const sent = done.length;
  const received = replies.length;
  const lost = sent - received;
  const pct = sent === 0 ? 0 : Math.floor((lost * 100) / sent);
  let out = `\nPing statistics for ${formatIpv4(flow.target)}:\n    Packets: Sent = ${sent}, Received = ${received}, Lost = ${lost} (${pct}% loss),\n`;
  const rtts = done.filter((p) => p.result === 'reply').map((p) => Math.round(((p.answeredNs as number) - p.sentNs) / MS));
  if (rtts.length > 0) {
    const avg = Math.round(rtts.reduce((a, b) => a + b, 0) / rtts.length);
    out += `Approximate round trip times in milli-seconds:\n    Minimum = ${Math.min(...rtts)}ms, Maximum = ${Math.max(...rtts)}ms, Average = ${avg}ms\n`;
  }
  return out;
}
