import { describe, expect, it } from 'vitest';
import { Network } from '../../core/network.ts';
import { deviceKind } from '../catalog.ts';
import { findPort } from '../kind.ts';
import { GenericSwitch } from './device.ts';

describe('l2-switch kind', () => {
  it('is in the catalog with the configured number of ports and short aliases', () => {
    const info = deviceKind('l2-switch');
    expect(info?.ports({ ports: 8 })).toHaveLength(8);
    expect(findPort(info?.ports({ ports: 8 }) ?? [], 'p3')?.name).toBe('port3');
  });

  it('applies its startup configuration through the switch API', () => {
    const net = new Network();
    const sw = new GenericSwitch(
      net,
      'sw',
      { ports: 8 },
      `vlan 10 name users
access 1-2 vlan 10
trunk 8 native 1 allowed 1,10
channel 3 ports 6-7 mode active rate fast
static-mac 0011.2233.4455 vlan 10 port 2
ageing 600`,
    );
    expect(sw.vlans().map((v) => [v.id, v.name, v.ports])).toEqual([
      [1, 'default', ['port3', 'port4', 'port5', 'port8', 'Port-channel3']],
      [10, 'users', ['port1', 'port2', 'port8']],
    ]);
    expect(sw.portChannels()[0].members.map((m) => [m.port, m.mode, m.fastRate])).toEqual([
      ['port6', 'active', true],
      ['port7', 'active', true],
    ]);
    expect(sw.macTable({ vlan: 10 })).toMatchObject([{ mac: 0x001122334455, type: 'static', ports: ['port2'] }]);
    expect(sw.ageingSeconds).toBe(600);
  });

  it('names the line of a configuration error', () => {
    const net = new Network();
    expect(() => new GenericSwitch(net, 'sw', { ports: 4 }, 'vlan 10\naccess 9 vlan 10')).toThrow(/line 2: no port 9/);
    expect(() => new GenericSwitch(net, 'sw2', { ports: 4 }, 'frobnicate')).toThrow(/line 1: unknown command/);
  });
});
