import { describe, expect, it } from 'vitest';
import { parseLab } from '../../lab/parse.ts';
import { createLabRun } from '../../run/lab-run.ts';
import { SECOND } from '../../core/time.ts';

/** Two VLANs on one switch, routed by a router on a stick: a lab file as a user writes it. */
const LAB = `apiVersion: labbox/v1
kind: Lab
metadata:
  name: routed-vlans
  title: Router on a stick
devices:
  - name: sw1
    kind: l2-switch
    settings: { ports: 8 }
    config: |
      vlan 10 name users
      vlan 20 name servers
      access 1 vlan 10
      access 2 vlan 20
      trunk 8 native 1 allowed 1,10,20
  - name: gw
    kind: router
    config: |
      hostname GW
      interface GigabitEthernet0/0
       no shutdown
      interface GigabitEthernet0/0.10
       encapsulation dot1Q 10
       ip address 10.0.10.1 255.255.255.0
      interface GigabitEthernet0/0.20
       encapsulation dot1Q 20
       ip address 10.0.20.1 255.255.255.0
  - name: pc1
    kind: pc
    settings: { ip: 10.0.10.11/24, gateway: 10.0.10.1 }
  - name: pc2
    kind: pc
    settings: { ip: 10.0.20.22/24, gateway: 10.0.20.1 }
links:
  - { a: sw1:port1, b: pc1:eth0 }
  - { a: sw1:port2, b: pc2:eth0 }
  - { a: sw1:port8, b: gw:Gi0/0 }
`;

describe('a router in a lab file', () => {
  it('routes between VLANs as typed at the consoles of the run', () => {
    const parsed = parseLab('routed-vlans.lab.yaml', LAB);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const run = createLabRun(parsed.lab, { seed: 2 });
    run.advance(4 * SECOND);
    expect(run.consoleInput('pc1', 'ping -n 3 10.0.20.22').output).toContain('Pinging 10.0.20.22 with 32 bytes of data:');
    run.advance(10 * SECOND);
    const out = run.consoleInput('pc1', '').output;
    expect(out.match(/Reply from 10\.0\.20\.22: bytes=32 time[<=]\d+ms TTL=127/g)).toHaveLength(3);
    expect(out).toMatch(/C:\\Users\\User>$/);
    run.consoleInput('gw', 'enable');
    const routes = run.consoleInput('gw', 'show ip route').output;
    expect(routes).toContain('C        10.0.10.0/24 is directly connected, GigabitEthernet0/0.10');
    expect(routes).toContain('C        10.0.20.0/24 is directly connected, GigabitEthernet0/0.20');
    expect(routes).toContain('Gateway of last resort is not set');
  });
});
