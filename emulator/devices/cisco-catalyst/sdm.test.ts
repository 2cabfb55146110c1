import { describe, expect, it } from 'vitest';
import { Network } from '../../core/network.ts';
import { SECOND } from '../../core/time.ts';
import { IpHost } from '../../l3/ip-host.ts';
import { CatalystSwitch, checkCatalystConfig } from './device.ts';

const SVIS = ['vlan 10', 'vlan 20', 'interface Gi1/0/1', ' switchport access vlan 10', 'interface Gi1/0/2', ' switchport access vlan 20',
  'interface Vlan10', ' ip address 10.10.0.1 255.255.255.0', 'interface Vlan20', ' ip address 10.20.0.1 255.255.255.0'].join('\n');

/** A switch with one host in VLAN 10 (Gi1/0/1) and one in VLAN 20 (Gi1/0/2), each pointing at its SVI. */
function lab(kind: string, config: string, settings: Record<string, number | string> = {}) {
  const net = new Network(5);
  const sw = new CatalystSwitch(net, 'acc1', kind, { bootSeconds: 30, ...settings }, config);
  const hosts = [10, 20].map((v, i) => {
    const h = new IpHost(net, `h${v}`);
    h.arpRetryCount = 0;
    h.addInterface('eth0', 0x020000000000 + v, 1e9);
    h.addAddress('eth0', (10 << 24) | (v << 16) | 11, 24);
    h.setGateway((10 << 24) | (v << 16) | 1);
    net.connect(h.iface('eth0').port, sw.portByName(`GigabitEthernet1/0/${i + 1}`)!, { rateBps: 1e9, delayNs: 500 });
    return h;
  });
  const con = sw.openConsole();
  con.input('enable');
  con.input('terminal length 0');
  return { net, sw, hosts, con };
}

/** Replies to a three-probe ping from h10 to h20 (10.20.0.11). */
function interVlanReplies(l: ReturnType<typeof lab>): number {
  const flow = l.hosts[0]!.ping((10 << 24) | (20 << 16) | 11, { count: 3, intervalNs: SECOND, timeoutNs: SECOND });
  l.net.runUntil(l.net.now + 5 * SECOND);
  return flow.probes.filter((p) => p.result === 'reply').length;
}

describe('2960-S SDM templates', () => {
  it('on the default template the routing commands do not exist: IOS marks them as invalid input', () => {
    const { con } = lab('cisco-catalyst-2960', SVIS);
    con.input('configure terminal');
    expect(con.input('ip routing')).toBe("                ^\n% Invalid input detected at '^' marker.\n\n");
    expect(con.input('ip route 0.0.0.0 0.0.0.0 10.10.0.254')).toContain("% Invalid input detected at '^' marker.");
    expect(con.input('ip default-gateway 10.10.0.254')).toBe('');
    expect(con.input('ip domain-name example.com')).toBe('');
  });

  it('sdm prefer is stored for the next reload; show sdm prefer says so', () => {
    const { con } = lab('cisco-catalyst-2960', SVIS);
    expect(con.input('show sdm prefer')).toContain(' The current template is "default" template.');
    con.input('configure terminal');
    expect(con.input('sdm prefer lanbase-routing')).toBe(
      "Changes to the running SDM preferences have been stored, but cannot take effect until the next reload.\nUse 'show sdm prefer' to see what SDM preference is currently active.\n",
    );
    expect(con.input('ip routing')).toContain('% Invalid input');
    con.input('end');
    const shown = con.input('show sdm prefer');
    expect(shown).toContain(' The current template is "default" template.');
    expect(shown).toContain('On next reload, template will be "lanbase-routing" template.');
  });

  it('reload asks to save a modified configuration, then to confirm; n aborts', () => {
    const { con, sw } = lab('cisco-catalyst-2960', SVIS);
    con.input('configure terminal');
    con.input('hostname ACC1');
    con.input('end');
    expect(con.input('reload')).toBe('System configuration has been modified. Save? [yes/no]: \n');
    expect(con.prompt()).toBe('');
    expect(con.input('maybe')).toContain("% Please answer 'yes' or 'no'.");
    expect(con.input('no')).toBe('Proceed with reload? [confirm]\n');
    expect(con.input('n')).toBe('');
    expect(con.prompt()).toBe('ACC1#');
    expect(sw.state.rebooting).toBe(false);
  });

  it('no routing between VLANs until lanbase-routing is booted and ip routing is on', () => {
    const l = lab('cisco-catalyst-2960', SVIS);
    l.net.runUntil(2 * SECOND);
    expect(interVlanReplies(l)).toBe(0);
    l.con.input('configure terminal');
    l.con.input('sdm prefer lanbase-routing');
    l.con.input('end');
    l.con.input('write memory');
    expect(l.con.input('reload')).toBe('Proceed with reload? [confirm]\n');
    expect(l.con.input('')).toContain('%SYS-5-RELOAD');
    // Booting: the console is silent and the ports are down.
    expect(l.con.input('show sdm prefer')).toBe('');
    l.net.runUntil(l.net.now + SECOND);
    expect(l.sw.portByName('GigabitEthernet1/0/1')!.operUp).toBe(false);
    l.net.runUntil(l.net.now + 30 * SECOND);
    expect(l.con.prompt()).toBe('acc1>');
    l.con.input('enable');
    expect(l.con.input('show sdm prefer')).toContain(' The current template is "lanbase-routing" template.');
    // The SVIs came back from the startup configuration; still no routing without ip routing.
    expect(interVlanReplies(l)).toBe(0);
    l.con.input('configure terminal');
    expect(l.con.input('ip routing')).toBe('');
    l.con.input('end');
    expect(interVlanReplies(l)).toBe(3);
    expect(l.con.input('show running-config')).toMatch(/^ip routing$/m);
  });

  it('a startup configuration with sdm prefer boots on that template, and its routing lines load', () => {
    const config = `sdm prefer lanbase-routing\nip routing\nip route 0.0.0.0 0.0.0.0 10.20.0.254\n${SVIS}`;
    expect(checkCatalystConfig('cisco-catalyst-2960', config)).toEqual([]);
    const l = lab('cisco-catalyst-2960', config);
    expect(l.sw.configIssues).toEqual([]);
    l.net.runUntil(2 * SECOND);
    expect(interVlanReplies(l)).toBe(3);
    // The template lives in flash, not in the configuration text.
    expect(l.con.input('show running-config')).not.toContain('sdm prefer');
  });

  it('a startup configuration that routes on the default template has those lines refused', () => {
    const issues = checkCatalystConfig('cisco-catalyst-2960', `hostname A\nip routing\n${SVIS}`);
    expect(issues.map((i) => [i.line, i.column, i.message])).toEqual([[2, 3, "Invalid input detected at '^' marker."]]);
  });

  it('the sdmTemplate setting is the template in flash at power-on', () => {
    const l = lab('cisco-catalyst-2960', `ip routing\n${SVIS}`, { sdmTemplate: 'lanbase-routing' });
    expect(l.sw.configIssues).toEqual([]);
    expect(l.con.input('show sdm prefer')).toContain('"lanbase-routing"');
  });
});

describe('3750-X SDM templates', () => {
  it('routes on its default template, names templates "desktop", and takes the trailing desktop keyword', () => {
    const l = lab('cisco-catalyst-3750', `ip routing\n${SVIS}`);
    expect(l.sw.configIssues).toEqual([]);
    l.net.runUntil(2 * SECOND);
    expect(interVlanReplies(l)).toBe(3);
    expect(l.con.input('show sdm prefer')).toContain(' The current template is "desktop default" template.');
    l.con.input('configure terminal');
    expect(l.con.input('sdm prefer vlan desktop')).toContain('cannot take effect until the next reload');
    expect(l.con.input('do show sdm prefer')).toContain('On next reload, template will be "desktop vlan" template.');
  });

  it('an SVI without ip routing answers for itself but does not route', () => {
    const l = lab('cisco-catalyst-3750', SVIS);
    l.net.runUntil(2 * SECOND);
    const own = l.hosts[0]!.ping((10 << 24) | (10 << 16) | 1, { count: 2, intervalNs: SECOND, timeoutNs: SECOND });
    l.net.runUntil(l.net.now + 4 * SECOND);
    expect(own.probes.filter((p) => p.result === 'reply').length).toBe(2);
    expect(interVlanReplies(l)).toBe(0);
  });
});

describe('3750G-12S SDM templates', () => {
  it('leaves the factory on the aggregator default; the words pick aggregator templates, desktop picks the desktop ones', () => {
    const l = lab('cisco-catalyst-3750g-12s', `ip routing\n${SVIS}`);
    expect(l.sw.configIssues).toEqual([]);
    expect(l.con.input('show sdm prefer')).toContain(' The current template is "aggregator default" template.');
    l.con.input('configure terminal');
    l.con.input('sdm prefer routing');
    expect(l.con.input('do show sdm prefer')).toContain('On next reload, template will be "aggregator routing" template.');
    l.con.input('sdm prefer vlan desktop');
    expect(l.con.input('do show sdm prefer')).toContain('On next reload, template will be "desktop vlan" template.');
    l.con.input('no sdm prefer');
    expect(l.con.input('do show sdm prefer')).not.toContain('On next reload');
  });

  it('routes between its SVIs on an aggregator template, and has twelve SFP ports', () => {
    const l = lab('cisco-catalyst-3750g-12s', `ip routing\n${SVIS}`, { sdmTemplate: 'aggregator-routing' });
    l.net.runUntil(2 * SECOND);
    expect(l.con.input('show sdm prefer')).toContain('"aggregator routing"');
    expect(interVlanReplies(l)).toBe(3);
    expect(l.sw.portByName('GigabitEthernet1/0/12')).toBeDefined();
    expect(l.sw.portByName('GigabitEthernet1/0/13')).toBeUndefined();
    expect(l.con.input('show version')).toContain('WS-C3750G-12S');
  });
});

describe('a desktop 3750-X has no aggregator template', () => {
  it('no word asks for one: `sdm prefer aggregate` is invalid input, and the same words give desktop templates', () => {
    const l = lab('cisco-catalyst-3750', SVIS);
    l.con.input('configure terminal');
    expect(l.con.input('sdm prefer aggregate routing')).toContain("% Invalid input detected at '^' marker.");
    l.con.input('sdm prefer routing');
    expect(l.con.input('do show sdm prefer')).toContain('On next reload, template will be "desktop routing" template.');
  });
});
