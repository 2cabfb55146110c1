/**
 * The Windows Server command prompt: the shared Windows shell (ipconfig, arp, ping, netsh,
 * hostname) plus nlb.exe and its older name wlbs.exe.
 */
import { formatIpv4 } from '../../core/ipv4.ts';
import type { IpInterface } from '../../l3/ip-host.ts';
import { WindowsCommandPrompt } from '../windows-shell/command-prompt.ts';
import { numberedDescription, type WindowsMachine } from '../windows-shell/net-text.ts';
import { windowsAdapterName } from './adapters.ts';
import type { WindowsServer } from './device.ts';
import { displayText, ip2macText, nlbUsage, queryText } from './nlb-text.ts';
import { routePrintText, rrasNetsh } from './rras.ts';
import { dnscmd, netDns } from './dns-admin.ts';
import { adDnscmd } from './ad-dns-zones.ts';
import { netNetlogon } from './netlogon.ts';
import { repadmin } from './repadmin.ts';

/** The server as the shell sees it: physical adapters are Broadcom, a VM's are Hyper-V synthetic adapters. */
function machineOf(host: WindowsServer): WindowsMachine {
  return {
    stack: host,
    dns: host.dns,
    hostname: () => host.hostname,
    adapterName: (ifc: IpInterface) => windowsAdapterName(ifc.name),
    adapterDescription: (ifc: IpInterface) => numberedDescription(host.vm !== null ? 'Microsoft Hyper-V Network Adapter' : 'Broadcom NetXtreme Gigabit Ethernet', ifc),
  };
}

export class WindowsConsole extends WindowsCommandPrompt {
  constructor(private readonly host: WindowsServer) {
    super(machineOf(host), { nlb: (a) => this.nlbCommand(a), wlbs: (a) => this.nlbCommand(a), route: (a) => this.routeCommand(a),
      dnscmd: (a) => adDnscmd(host.adDns, host.dnsServer, host.fqdn(), a) ?? dnscmd(host.dnsServer, host.fqdn(), a),
      repadmin: (a) => repadmin(host.dc, a, (start) => this.runLate(start)),
      net: (a) => netDns(host.dnsServer, a) ?? netNetlogon(host.netlogon, a) ?? 'The syntax of this command is:\n\nNET\n    [ ACCOUNTS | COMPUTER | CONFIG | CONTINUE | FILE | GROUP | HELP |\n      HELPMSG | LOCALGROUP | PAUSE | SESSION | SHARE | START |\n      STATISTICS | STOP | TIME | USE | USER | VIEW ]\n\n',
    });
  }

  /** RRAS's netsh contexts first (routing ip rip, the loopback adapter's address), then the shell's. */
  protected override netsh(args: string[]): string {
    return rrasNetsh(this.host.rras, args.join(' ')) ?? super.netsh(args);
  }

  private routeCommand(args: string[]): string {
    const verb = (args[0] ?? '').toLowerCase();
    if (verb === 'print') return routePrintText(this.host, this.host.rras);
    return '\nManipulates network routing tables.\n\nROUTE [-f] [-p] [-4|-6] command [destination]\n                  [MASK netmask]  [gateway] [METRIC metric]  [IF interface]\n\n';
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
}
