/**
 * A Windows command prompt on the server: nlb/wlbs, ipconfig, arp, ping, netsh, hostname.
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
import type { WindowsServer } from './device.ts';
import { arpText, ipconfigText, netshInterfacesText } from './net-text.ts';
import { displayText, ip2macText, nlbUsage, queryText } from './nlb-text.ts';

const NOT_RECOGNIZED = (cmd: string): string => `'${cmd}' is not recognized as an internal or external command,\noperable program or batch file.\n`;

interface ForegroundPing {
  flow: PingFlow;
  shown: number;
}

export class WindowsConsole implements CliSession {
  private readonly lines: string[] = [];
  private ping: ForegroundPing | null = null;

  constructor(private readonly host: WindowsServer) {}

  prompt(): string {
    return this.ping !== null ? '' : 'C:\\Users\\Administrator>';
  }

  history(): readonly string[] {
    return this.lines;
  }

  complete(partial: string): string[] {
    const words = ['arp', 'hostname', 'ipconfig', 'netsh', 'nlb', 'ping', 'wlbs'];
    const p = partial.toLowerCase();
    return words.filter((w) => w.startsWith(p));
  }

  input(line: string): string {
    const text = line.trim();
    if (text !== '') this.lines.push(text);
    if (this.ping !== null) {
      const stop = /^(\^c|ctrl\+c|ctrl-c)$/i.test(text);
      return this.pingProgress(stop);
    }
    if (text === '') return '';
    const args = text.split(/\s+/);
    const cmd = args[0].toLowerCase().replace(/\.exe$/, '');
    const rest = args.slice(1);
    switch (cmd) {
      case 'nlb':
      case 'wlbs':
        return this.nlbCommand(rest);
      case 'ipconfig':
        return this.ipconfig(rest);
      case 'arp':
        return this.arp(rest);
      case 'ping':
        return this.startPing(rest);
      case 'netsh':
        return this.netsh(rest);
      case 'hostname':
        return `${this.host.hostname}\n\n`;
      case 'cls':
        return '';
      default:
        return NOT_RECOGNIZED(args[0]) + '\n';
    }
  }

  // ---- nlb.exe ------------------------------------------------------------------------------

  private nlbCommand(args: string[]): string {
    const sub = (args[0] ?? 'help').toLowerCase();
    const nlb = this.host.nlb;
    if (sub === 'ip2mac') {
      if (args[1] === undefined) return nlbUsage() + '\n';
      return ip2macText(args[1]) + '\n';
    }
    if (sub === 'help' || sub === '/?' || sub === '-?') return nlbUsage() + '\n';
    if (nlb === null) return 'WLBS Cluster Control Utility V2.6 (c) 1997-2007 Microsoft Corporation.\nNetwork Load Balancing is not installed on this computer.\n\n';
    switch (sub) {
      case 'query':
        return queryText(nlb) + '\n';
      case 'display': {
        const dip = nlb.ifc.addrs.find((a) => a.ip === nlb.dedicatedIp);
        return displayText(nlb, this.host.net.now, dip === undefined ? 24 : dip.prefix) + '\n';
      }
      case 'stop':
        nlb.stop();
        return `${nlbUsage().split('\n')[0]}\nCluster ${formatIpv4(nlb.config.clusterIp)}\nCluster operations stopped.\n\n`;
      case 'start':
        if (!nlb.running) nlb.start();
        return `${nlbUsage().split('\n')[0]}\nCluster ${formatIpv4(nlb.config.clusterIp)}\nCluster operations started.\n\n`;
      case 'reload':
        nlb.reload();
        return `${nlbUsage().split('\n')[0]}\nCluster ${formatIpv4(nlb.config.clusterIp)}\nConfiguration parameters reloaded.\n\n`;
      default:
        return nlbUsage() + '\n';
    }
  }

  // ---- ipconfig, arp, netsh ---------------------------------------------------------------

  private ipconfig(args: string[]): string {
    const opt = (args[0] ?? '').toLowerCase();
    if (opt === '') return ipconfigText(this.host, false);
    if (opt === '/all' || opt === '-all') return ipconfigText(this.host, true);
    return `\nError: unrecognized or incomplete command line.\n\nUSAGE:\n    ipconfig [/allcompartments] [/? | /all]\n\n`;
  }

  private arp(args: string[]): string {
    const opt = (args[0] ?? '').toLowerCase();
    if (opt === '-a' || opt === '/a' || opt === '-g') return arpText(this.host) + '\n';
    if (opt === '-d' || opt === '/d') {
      const which = args[1];
      for (const ifc of this.host.interfaces) {
        for (const [ip, e] of [...ifc.arp.entries]) {
          if (e.state === 'incomplete') continue;
          if (which === undefined || which === '*' || safeIp(which) === ip) ifc.arp.entries.delete(ip);
        }
      }
      return '';
    }
    return '\nDisplays and modifies the IP-to-Physical address translation tables used by\naddress resolution protocol (ARP).\n\nARP -s inet_addr eth_addr [if_addr]\nARP -d inet_addr [if_addr]\nARP -a [inet_addr] [-N if_addr] [-v]\n\n';
  }

  private netsh(args: string[]): string {
    const line = args.map((a) => a.toLowerCase()).join(' ');
    if (/^(interface|int) (ipv4|ip) show (interfaces|int|in)$/.test(line)) return netshInterfacesText(this.host) + '\n';
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
    if (ip === null) return `Ping request could not find host ${target}. Please check the name and try again.\n\n`;
    const flow = this.host.ping(ip, { count, size, timeoutNs: timeoutMs * MS });
    this.ping = { flow, shown: 0 };
    return `\nPinging ${formatIpv4(ip)} with ${size} bytes of data:\n`;
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
      // Echo replies from Windows hosts start at TTL 128; the probe record does not carry the hop count.
      return `Reply from ${formatIpv4(p.from ?? flow.target)}: bytes=${flow.options.size} ${time} TTL=128`;
    }
    case 'timeout':
      return 'Request timed out.';
    case 'unreachable':
      return `Reply from ${formatIpv4(p.from ?? 0)}: Destination host unreachable.`;
    case 'ttl-expired':
      return `Reply from ${formatIpv4(p.from ?? 0)}: TTL expired in transit.`;
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
