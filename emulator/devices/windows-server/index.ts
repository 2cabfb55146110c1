/** The windows-server kind's public face: catalog entry, runtime factory and the device. */
import type { Network } from '../../core/network.ts';
import { EsxiHost } from '../esxi-host/host.ts';
import { placeEsxiVm } from '../esxi-host/index.ts';
import { HypervHost } from '../hyperv-host/host.ts';
import { vmSpecFromSettings } from '../hyperv-host/vm.ts';
import type { Settings } from '../kind.ts';
import { WindowsServer } from './device.ts';

export { windowsServerInfo } from './info.ts';
export { WindowsServer, nlbConfigFromSettings } from './device.ts';

/**
 * Build a server from its lab entry: a VM when its `parent` is a hyperv-host or an esxi-host
 * (the host creates the VM and its vNICs, the server plugs into them), a physical server otherwise.
 */
export function createWindowsServer(net: Network, d: { name: string; settings: Settings; parent?: string }): WindowsServer {
  const host = d.parent !== undefined ? net.node(d.parent) : undefined;
  if (host instanceof EsxiHost) {
    const e = placeEsxiVm(net, d);
    // A VMware vNIC takes whatever MAC the guest programs (NLB unicast writes the cluster MAC);
    // whether the vSwitch honours it is the port group's "MAC address changes" policy.
    for (const a of e.vm.adapters) a.macSpoofing = true;
    return new WindowsServer(net, d.name, d.settings, { vm: e.vm });
  }
  if (!(host instanceof HypervHost)) return new WindowsServer(net, d.name, d.settings);
  const vm = host.createVm(vmSpecFromSettings(d.name, d.settings));
  return new WindowsServer(net, d.name, d.settings, { vm });
}
