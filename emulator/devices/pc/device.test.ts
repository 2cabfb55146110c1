import { describe, expect, it } from 'vitest';
import { parseIpv4 } from '../../core/ipv4.ts';
import { Network } from '../../core/network.ts';
import { SECOND } from '../../core/time.ts';
import { deviceKind } from '../catalog.ts';
import { CatalystSwitch } from '../cisco-catalyst/device.ts';
import { Router } from '../router/device.ts';
import { ClientPc, macFromName } from './device.ts';

describe('pc kind', () => {
  it('is in the catalog with one NIC', () => {
    expect(deviceKind('pc')?.ports({}).map((p) => p.name)).toEqual(['eth0']);
  });

  it('takes its address, gateway and MAC from settings, or a stable MAC from its name', () => {
    const net = new Network();
    const pc = new ClientPc(net, 'pc1', { ip: '10.0.0.5/24', gateway: '10.0.0.1', mac: '00-50-56-00-00-01' });
    expect(pc.iface('eth0').mac).toBe(0x005056000001);
    expect(pc.iface('eth0').addrs[0]).toMatchObject({ ip: parseIpv4('10.0.0.5'), prefix: 24 });
    expect(pc.routeList().find((r) => r.length === 0)?.nextHop).toBe(parseIpv4('10.0.0.1'));
    const other = new ClientPc(net, 'pc2', {});
    expect(other.iface('eth0').mac).toBe(macFromName('pc2'));
    expect(macFromName('pc2')).not.toBe(macFromName('pc3'));
  });
});

describe('pc command prompt', () => {
  /** pc1 (10.0.1.11/24) and pc2 (10.0.2.22/24) on either side of a router. */
  function routed() {
    const net = new Network(4);
    const r = new Router(net, 'r1', {}, 'interface Gi0/0\n ip address 10.0.1.1 255.255.255.0\n no shutdown\ninterface Gi0/1\n ip address 10.0.2.1 255.255.255.0\n no shutdown\n');
    const pc1 = new ClientPc(net, 'pc1', { ip: '10.0.1.11/24', gateway: '10.0.1.1', mac: '00-50-56-00-00-11' });
    const pc2 = new ClientPc(net, 'pc2', { ip: '10.0.2.22/24', gateway: '10.0.2.1' });
    net.connect(pc1.ports[0], r.ports[0], { rateBps: 1e9, delayNs: 1000 });
    net.connect(pc2.ports[0], r.ports[1], { rateBps: 1e9, delayNs: 1000 });
    net.runUntil(4 * SECOND);
    return { net, pc1 };
  }

  it('ipconfig shows the address, mask and gateway; /all the adapter and its MAC', () => {
    const { pc1 } = routed();
    const con = pc1.openConsole();
    expect(con.prompt()).toBe('C:\\Users\\User>');
    const short = con.input('ipconfig');
    expect(short).toContain('Ethernet adapter Ethernet:');
    expect(short).toContain('   IPv4 Address. . . . . . . . . . . : 10.0.1.11\n');
    expect(short).toContain('   Subnet Mask . . . . . . . . . . . : 255.255.255.0\n');
    expect(short).toContain('   Default Gateway . . . . . . . . . : 10.0.1.1\n');
    const all = con.input('ipconfig /all');
    expect(all).toContain('   Host Name . . . . . . . . . . . . : PC1\n');
    expect(all).toContain('   Physical Address. . . . . . . . . : 00-50-56-00-00-11\n');
    expect(all).toContain('   Description . . . . . . . . . . . : Intel(R) PRO/1000 MT Network Connection\n');
    expect(con.input('hostname')).toBe('PC1\n\n');
    expect(con.input('show ip route')).toContain("'show' is not recognized");
  });

  it('ipconfig /all shows the primary DNS suffix, the suffix search list with its devolution and the DNS servers', () => {
    const { pc1: pc } = routed();
    pc.applySetting('dns', '10.0.1.10, 10.0.1.11');
    pc.applySetting('dnsSuffix', 'emea.corp.contoso.com');
    pc.applySetting('dnsConnectionSuffix', 'lab.test');
    const all = pc.openConsole().input('ipconfig /all');
    expect(all).toContain(
      '   Host Name . . . . . . . . . . . . : PC1\n   Primary Dns Suffix  . . . . . . . : emea.corp.contoso.com\n   Node Type . . . . . . . . . . . . : Hybrid\n' +
        '   IP Routing Enabled. . . . . . . . : No\n   WINS Proxy Enabled. . . . . . . . : No\n' +
        '   DNS Suffix Search List. . . . . . : emea.corp.contoso.com\n                                       lab.test\n                                       corp.contoso.com\n                                       contoso.com\n\n',
    );
    expect(all).toContain('   Connection-specific DNS Suffix  . : lab.test\n');
    expect(all).toContain('   Default Gateway . . . . . . . . . : 10.0.1.1\n   DNS Servers . . . . . . . . . . . : 10.0.1.10\n                                       10.0.1.11\n   NetBIOS over Tcpip. . . . . . . . : Enabled\n');
    // A search list replaces the suffixes it would otherwise show.
    pc.applySetting('dnsSearchList', 'a.example, b.example');
    expect(pc.openConsole().input('ipconfig /all')).toContain('   DNS Suffix Search List. . . . . . : a.example\n                                       b.example\n\n');
  });

  it('ipconfig /all of a PC without DNS settings has no search list and no DNS servers line', () => {
    const { pc1 } = routed();
    const all = pc1.openConsole().input('ipconfig /all');
    expect(all).toContain('   Primary Dns Suffix  . . . . . . . : \n');
    expect(all).not.toContain('DNS Suffix Search List');
    expect(all).not.toContain('DNS Servers');
  });

  it('ping -n 4 through the router: four replies one hop down from TTL 128, then statistics; arp -a lists the gateway', () => {
    const { net, pc1 } = routed();
    const con = pc1.openConsole();
    expect(con.input('ping -n 4 10.0.2.22')).toBe('\nPinging 10.0.2.22 with 32 bytes of data:\n');
    expect(con.prompt()).toBe('');
    net.runUntil(12 * SECOND);
    const out = con.input('');
    expect(out.match(/Reply from 10\.0\.2\.22: bytes=32 time[<=]\d+ms TTL=127\n/g)).toHaveLength(4);
    expect(out).toContain('Packets: Sent = 4, Received = 4, Lost = 0 (0% loss),');
    expect(con.prompt()).toBe('C:\\Users\\User>');
    const arp = con.input('arp -a');
    expect(arp).toContain('Interface: 10.0.1.11 --- 0xc');
    expect(arp).toMatch(/ {2}10\.0\.1\.1 +[0-9a-f-]{17} +dynamic/);
  });

  it('ping to a network nobody routes reports it, and ping -t runs until ^C', () => {
    const { net, pc1 } = routed();
    const con = pc1.openConsole();
    con.input('ping -n 2 10.0.9.9');
    net.runUntil(12 * SECOND);
    expect(con.input('')).toContain('Reply from 10.0.1.1: Destination host unreachable.');
    con.input('ping -t 10.0.2.22');
    net.runUntil(30 * SECOND);
    const stopped = con.input('^C');
    expect(stopped).toContain('Control-C');
    expect(Number(/Sent = (\d+)/.exec(stopped)?.[1])).toBeGreaterThan(10);
  });
});

describe('pc ping in the first seconds of a run', () => {
  it('says transmit failed while its address is in duplicate detection, never a reply from 0.0.0.0, then gets replies', () => {
    const net = new Network(4);
    const sw = new CatalystSwitch(net, 'sw1', 'cisco-catalyst-2960', {}, 'vlan 10\ninterface range Gi1/0/1 - 2\n switchport mode access\n switchport access vlan 10\n');
    const pc1 = new ClientPc(net, 'pc1', { ip: '10.0.10.11/24', gateway: '10.0.10.1' });
    const pc2 = new ClientPc(net, 'pc2', { ip: '10.0.10.22/24' });
    net.connect(pc1.ports[0], sw.portByName('GigabitEthernet1/0/1')!, { rateBps: 1e9, delayNs: 1000 });
    net.connect(pc2.ports[0], sw.portByName('GigabitEthernet1/0/2')!, { rateBps: 1e9, delayNs: 1000 });
    net.start();
    const con = pc1.openConsole();
    con.input('ping -n 6 10.0.10.22');
    net.runUntil(20 * SECOND);
    const out = con.input('');
    expect(out).not.toContain('0.0.0.0');
    const lines = out.split('\n').filter((l) => l.startsWith('PING:') || l.startsWith('Reply'));
    expect(lines[0]).toBe('PING: transmit failed. General failure.');
    expect(lines.at(-1)).toMatch(/^Reply from 10\.0\.10\.22: bytes=32 time[<=]\d+ms TTL=128$/);
    const failed = lines.filter((l) => l.startsWith('PING:')).length;
    // A request that never left is lost, not received.
    expect(out).toContain(`Packets: Sent = 6, Received = ${6 - failed}, Lost = ${failed} (${Math.floor((failed * 100) / 6)}% loss),`);
  });
});
