/**
 * A plain IPv4 guest for a Hyper-V VM (kind `hyperv-vm`): the engine's IP host with one address
 * per adapter, plugged into its host's vSwitch through the GuestOs interface. Guest kinds with
 * more behaviour (the Windows Server guest with NLB) plug in the same way.
 */
import type { Network } from '../../core/network.ts';
import type { Port } from '../../core/port.ts';
import { IpHost } from '../../l3/ip-host.ts';
import type { SettingValue } from '../kind.ts';
import { applyVmHostSetting } from './host.ts';
import type { GuestOs, VirtualMachine } from './vm.ts';

export interface GuestAddress {
  ip: number;
  prefix: number;
}

export class GenericGuest extends IpHost implements GuestOs {
  constructor(net: Network, vm: VirtualMachine, addresses: readonly (GuestAddress | null)[], gateway: number | null) {
    super(net, vm.name);
    vm.adapters.forEach((a, i) => {
      const name = i === 0 ? 'Ethernet' : `Ethernet ${i + 1}`;
      this.addInterface(name, a.mac, a.port.speedBps);
      const addr = addresses[i];
      if (addr !== null && addr !== undefined) this.addAddress(name, addr.ip, addr.prefix);
    });
    if (gateway !== null) this.setGateway(gateway);
    vm.plug(this);
  }

  adapterPort(index: number): Port {
    return this.interfaces[index].port;
  }

  adapterMac(index: number): number {
    return this.interfaces[index].mac;
  }

  adapterAddresses(index: number): readonly number[] {
    return this.interfaces[index].addrs.filter((a) => a.state === 'preferred').map((a) => a.ip);
  }

  /** A `set` step at run time: the host-side adapter settings (MAC spoofing, VLAN). */
  applySetting(key: string, value: SettingValue): boolean {
    return applyVmHostSetting(this.net, this.name, key, value);
  }

  /** A powered-off VM's adapters have no carrier; on power-on they come back (and announce themselves). */
  powerChanged(on: boolean): void {
    for (const ifc of this.interfaces) ifc.port.setAdmin(on);
  }
}
