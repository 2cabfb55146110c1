import { describe, expect, it } from 'vitest';
import { MS, SECOND } from '../../core/time.ts';
import { buildEsxiLab, ipVm } from './test-support/lab.ts';

function seedLab(uplinks = 2, dvs = 'vmnic0,vmnic1') {
  const lab = buildEsxiLab({
    hosts: 1,
    uplinks,
    host: { hostname: 'esx01', dvsUplinks: dvs, dvPortGroups: 'VM-98/98; NLB-98/98/notify=no', nicDriver: 'be2net', nicDescription: 'Emulex Corporation NC553i 10Gb 2-port FlexFabric Converged Network Adapter' },
  });
  const h = lab.hosts[0];
  const guests = ['VM1', 'VM2', 'NLB_VM1'].map((n, i) => ipVm(h, n, `10.0.98.${21 + i}/24`, n.startsWith('NLB') ? 'NLB-98' : 'VM-98'));
  lab.net.runUntil(1 * MS);
  const sh = h.openConsole();
  return { ...lab, h, guests, sh };
}

describe('esxcli views', () => {
  it('nic list shows every vmnic with driver, link, speed and MAC; a pulled cable shows Down', () => {
    const lab = seedLab();
    let out = lab.sh.input('esxcli network nic list');
    const lines = out.split('\n');
    expect(lines[0]).toMatch(/^Name\s+PCI Device\s+Driver\s+Link\s+Speed\s+Duplex\s+MAC Address\s+MTU\s+Description$/);
    expect(lines[1]).toMatch(/^-+ {2}-+/);
    expect(lines[2]).toMatch(/^vmnic0\s+0000:02:00\.0\s+be2net\s+Up\s+10000\s+Full\s+[0-9a-f:]{17}\s+1500\s+Emulex/);
    lab.cable(0, 0).setUp(false);
    lab.net.runUntil(1 * SECOND);
    out = lab.sh.input('esxcli network nic list');
    expect(out.split('\n')[2]).toMatch(/^vmnic0\s+\S+\s+be2net\s+Down\s+0\s+Half/);
  });

  it('vm port list names the team uplink, and it follows a failover', () => {
    const lab = seedLab();
    const list = lab.sh.input('esxcli network vm list');
    expect(list.split('\n')[0]).toMatch(/^World ID\s+Name\s+Num Ports\s+Networks$/);
    const row = list.split('\n').find((l) => / VM1 /.test(` ${l} `) && l.includes('VM1 '));
    const worldId = Number((row ?? '').trim().split(/\s+/)[0]);
    expect(worldId).toBeGreaterThan(0);
    const uplinkNow = lab.h.portsOf(lab.h.vms.get('VM1')!)[0].uplink as string;
    let ports = lab.sh.input(`esxcli network vm port list -w ${worldId}`);
    expect(ports).toContain(`Team Uplink: ${uplinkNow}`);
    expect(ports).toContain('Portgroup: VM-98');
    expect(ports).toContain('vSwitch: dvSwitch');
    expect(ports).toMatch(/DVPort ID: \d+/);
    expect(ports).toContain('IP Address: 10.0.98.21');
    const other = uplinkNow === 'vmnic0' ? 'vmnic1' : 'vmnic0';
    lab.cable(0, Number(uplinkNow.slice(5))).setUp(false);
    lab.net.runUntil(1 * SECOND);
    ports = lab.sh.input(`esxcli network vm port list --world-id=${worldId}`);
    expect(ports).toContain(`Team Uplink: ${other}`);
    expect(lab.sh.input('esxcli network vm port list -w 1')).toContain('Invalid World ID');
    expect(lab.sh.input('esxcli network vm port list')).toContain('Missing required parameter');
  });

  it('dvs list and esxcfg-vswitch -l list the dvSwitch uplinks and the dvPorts of the VMs', () => {
    const lab = seedLab(4, 'vmnic2,vmnic3');
    const dvs = lab.sh.input('esxcli network vswitch dvs vmware list');
    expect(dvs).toContain('Uplinks: vmnic3, vmnic2');
    expect(dvs).toContain('Client: NLB_VM1 ethernet0');
    const std = lab.sh.input('esxcli network vswitch standard list');
    expect(std).toContain('Uplinks: vmnic0, vmnic1');
    expect(std).toContain('Portgroups: Management Network, VM Network');
    const classic = lab.sh.input('esxcfg-vswitch -l');
    expect(classic).toMatch(/dvSwitch\s+256\s+\d+\s+256\s+1500\s+vmnic3,vmnic2/);
    expect(classic).toMatch(/\d+\s+1\s+VM2 ethernet0/);
    // every VM is on dvSwitch uplinks, never on vSwitch0's
    for (const g of lab.guests) expect(['vmnic2', 'vmnic3']).toContain(lab.h.portsOf(lab.h.vms.get(g.name)!)[0].uplink);
  });

  it('net-dvs shows "notify switch" only on the ports whose group notifies, and the failover policy getters agree', () => {
    const lab = seedLab();
    const out = lab.sh.input('net-dvs -l');
    const blocks = out.split(/\n\tport /).slice(1);
    const nlb = blocks.find((b) => b.includes('NLB_VM1') || b.includes(String(lab.h.portsOf(lab.h.vms.get('NLB_VM1')!)[0].id)));
    const vm1 = blocks.find((b) => b.includes(String(lab.h.portsOf(lab.h.vms.get('VM1')!)[0].id)));
    expect(vm1).toMatch(/link behavior = notify switch; reverse filter/);
    expect(nlb).toMatch(/link behavior = reverse filter/);
    expect(nlb).not.toContain('notify switch');
    expect(vm1).toContain('active = dvUplink1; dvUplink2;');
    const pol = lab.sh.input('esxcli network vswitch standard policy failover get -v vSwitch0');
    expect(pol).toContain('Load Balancing: srcport');
    expect(pol).toContain('Notify Switches: true');
    expect(lab.sh.input('esxcli network vswitch standard portgroup list')).toMatch(/Management Network\s+vSwitch0\s+1\s+0/);
  });

  it('net-stats -l lists uplinks (type 4), vmk0 (3) and the VMs (5) with their port IDs', () => {
    const lab = seedLab();
    const out = lab.sh.input('net-stats -l').split('\n');
    expect(out[0]).toMatch(/^PortNum\s+Type\s+SubType\s+SwitchName\s+MACAddress\s+ClientName$/);
    expect(out.some((l) => /^50331650\s+4\s+0\s+dvSwitch\s+\S+\s+vmnic0$/.test(l))).toBe(true);
    expect(out.some((l) => /^33554433\s+3\s+0\s+vSwitch0\s+\S+\s+vmk0$/.test(l))).toBe(true);
    expect(out.some((l) => /^5033165\d\s+5\s+9\s+dvSwitch\s+00:50:56:\S+\s+VM1\.eth0$/.test(l))).toBe(true);
    expect(lab.sh.input('esxtop')).toContain('not found');
  });
});
