import { describe, expect, it } from 'vitest';
import { parseIpv4 } from '../../core/ipv4.ts';
import { SECOND } from '../../core/time.ts';
import { deviceKind } from '../catalog.ts';
import { WindowsServer } from './device.ts';
import { connect, hypervNlbLab, nlbLab } from './test-support/lab.ts';

describe('windows-server in the catalog', () => {
  it('has NIC1, and NIC2 when it has two adapters', () => {
    const info = deviceKind('windows-server');
    expect(info?.ports({}).map((p) => p.name)).toEqual(['NIC1']);
    expect(info?.ports({ adapters: 2 }).map((p) => p.name)).toEqual(['NIC1', 'NIC2']);
    expect(info?.settings['nlbMode']).toMatchObject({ default: 'unicast' });
  });
});

describe('the command prompt', () => {
  function converged() {
    const lab = nlbLab({ hosts: 2 });
    lab.net.runUntil(10 * SECOND);
    return { lab, con: lab.servers[0].openConsole(), con2: lab.servers[1].openConsole() };
  }

  it('shows a Windows prompt and rejects unknown commands as cmd.exe does', () => {
    const { con } = converged();
    expect(con.prompt()).toBe('C:\\Users\\Administrator>');
    expect(con.input('frobnicate now')).toContain("'frobnicate' is not recognized as an internal or external command,");
    expect(con.input('hostname')).toBe('WEB1\n\n');
  });

  it('nlb ip2mac lists the MAC of every mode, and wlbs is the same program', () => {
    const { con } = converged();
    const out = con.input('nlb ip2mac 192.168.1.100');
    expect(out).toContain('Unicast MAC address is 02-bf-c0-a8-01-64');
    expect(out).toContain('Multicast MAC address is 03-bf-c0-a8-01-64');
    expect(out).toContain('IGMP multicast MAC address is 01-00-5e-7f-01-64');
    expect(con.input('WLBS.EXE ip2mac 192.168.1.100')).toBe(out);
  });

  it('nlb query says who converged as default and with whom', () => {
    const { con, con2 } = converged();
    const q = con.input('nlb query');
    expect(q).toContain('Cluster 10.0.0.100');
    expect(q).toMatch(/Host 1 has entered a converging state 1 time\(s\) since joining the cluster\n {2}and the last convergence completed at approximately: 3\/24\/2014 9:00:0\d AM/);
    expect(q).toContain('Host 1 converged as DEFAULT with the following host(s) as part of the cluster:\n1, 2\n');
    expect(con2.input('nlb query')).toContain('Host 2 converged with the following host(s) as part of the cluster:\n1, 2\n');
  });

  it('nlb stop makes the others converge without this host; nlb start brings it back', () => {
    const { lab, con, con2 } = converged();
    expect(con2.input('nlb stop')).toContain('Cluster operations stopped.');
    expect(con2.input('nlb query')).toContain('Host 2 is stopped');
    lab.net.runUntil(20 * SECOND);
    expect(con.input('nlb query')).toContain('as part of the cluster:\n1\n');
    con2.input('nlb start');
    lab.net.runUntil(30 * SECOND);
    expect(con.input('nlb query')).toContain('as part of the cluster:\n1, 2\n');
  });

  it('nlb display shows the parameters, the port rules and the current state', () => {
    const { con } = converged();
    const d = con.input('nlb display');
    expect(d).toContain('=== Configuration: ===');
    expect(d).toMatch(/AliveMsgPeriod\s+= 1000/);
    expect(d).toMatch(/ClusterNetworkAddress\s+= 02-bf-0a-00-00-64/);
    expect(d).toMatch(/HostPriority\s+= 1/);
    expect(d).toContain('All                 0 65535 Both Multiple      Eql Single');
    expect(d).toContain('=== Current state: ===');
    expect(d).toContain('converged as DEFAULT');
  });

  it('ipconfig shows both addresses and, in unicast mode, the cluster MAC as the physical address', () => {
    const { con } = converged();
    const short = con.input('ipconfig');
    expect(short).toContain('Ethernet adapter Ethernet:');
    expect(short).toContain('   IPv4 Address. . . . . . . . . . . : 10.0.0.11\n');
    expect(short).toContain('   IPv4 Address. . . . . . . . . . . : 10.0.0.100\n');
    const all = con.input('ipconfig /all');
    expect(all).toContain('   Physical Address. . . . . . . . . : 02-BF-0A-00-00-64\n');
    expect(all).toContain('   Host Name . . . . . . . . . . . . : WEB1\n');
    expect(all).toContain('10.0.0.100(Preferred)');
  });

  it('marks a duplicate cluster IP in ipconfig /all and hides it from ipconfig', () => {
    const lab = nlbLab({ hosts: 1 });
    const rogue = new WindowsServer(lab.net, 'rogue', { ip: '10.0.0.100/24', arpRetryCount: 0 });
    connect(lab.net, rogue.ports[0], lab.sw.ports[22]);
    lab.net.runUntil(10 * SECOND);
    const con = lab.servers[0].openConsole();
    expect(con.input('ipconfig /all')).toContain('10.0.0.100(Duplicate)');
    expect(con.input('ipconfig')).not.toContain('10.0.0.100');
    expect(con.input('nlb display')).toContain('Misconfigured interface:');
  });

  it('arp -a lists what the stack resolved, Windows style', () => {
    const { lab, con } = converged();
    lab.servers[0].ping(parseIpv4('10.0.0.50'), { count: 1 });
    lab.net.runUntil(11 * SECOND);
    const out = con.input('arp -a');
    expect(out).toContain('Interface: 10.0.0.11 --- 0xc');
    expect(out).toContain('  Internet Address      Physical Address      Type');
    expect(out).toMatch(/ {2}10\.0\.0\.50 {13}[0-9a-f-]{17} {5}dynamic/);
    expect(out).toMatch(/ {2}10\.0\.0\.255 {12}ff-ff-ff-ff-ff-ff {5}static/);
  });

  it('ping prints replies as simulated time passes, and -t runs until Ctrl+C', () => {
    const lab = nlbLab({ hosts: 2 });
    const admin = new WindowsServer(lab.net, 'admin', { ip: '10.0.0.70/24' });
    connect(lab.net, admin.ports[0], lab.sw.ports[22]);
    lab.net.runUntil(10 * SECOND);
    const con = admin.openConsole();
    expect(con.input('ping -n 3 10.0.0.100')).toBe('\nPinging 10.0.0.100 with 32 bytes of data:\n');
    expect(con.prompt()).toBe('');
    lab.net.runUntil(10.5 * SECOND);
    expect(con.input('')).toMatch(/^Reply from 10\.0\.0\.100: bytes=32 time<1ms TTL=128\n$/);
    lab.net.runUntil(13 * SECOND);
    const rest = con.input('');
    expect(rest.match(/Reply from/g)).toHaveLength(2);
    expect(rest).toContain('Packets: Sent = 3, Received = 3, Lost = 0 (0% loss),');
    expect(con.prompt()).toBe('C:\\Users\\Administrator>');

    con.input('ping -t 10.0.0.100');
    lab.net.runUntil(15.5 * SECOND);
    lab.servers.forEach((s) => s.powerChanged(false));
    lab.net.runUntil(25.5 * SECOND);
    const out = con.input('^C');
    expect(out).toContain('Request timed out.');
    expect(out).toMatch(/Sent = \d+, Received = \d+, Lost = \d+/);
    expect(out).toContain('Control-C');
    expect(con.prompt()).toBe('C:\\Users\\Administrator>');
  });

  it('netsh lists the interfaces with their state', () => {
    const { con } = converged();
    const out = con.input('netsh interface ipv4 show interfaces');
    expect(out).toMatch(/ 12 +5 +1500 +connected +Ethernet\n/);
    expect(out).toContain('Loopback Pseudo-Interface 1');
  });

  it('in a VM with spoofing off, nlb query reports the adapter refused the cluster MAC', () => {
    const lab = hypervNlbLab({ vms: 2, spoofing: false, mode: 'unicast' });
    lab.net.runUntil(5 * SECOND);
    const q = lab.servers[0].openConsole().input('nlb query');
    expect(q).toContain('does not support dynamic MAC address updates');
    expect(lab.servers[0].openConsole().input('ipconfig /all')).toContain('Microsoft Hyper-V Network Adapter');
  });
});
