import { describe, expect, it } from 'vitest';
import { parseIpv4 } from '../../core/ipv4.ts';
import { Network } from '../../core/network.ts';
import { deviceKind } from '../catalog.ts';
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
