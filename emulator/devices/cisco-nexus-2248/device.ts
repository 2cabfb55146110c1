/**
 * A Nexus 2248TP fabric extender in a running network. It switches nothing: a cable on one of its
 * host ports is in effect a cable on its parent's Ethernet<fex>/1/<n>, which the parent holds down
 * while the FEX is not online. The FEX keeps only what is its own: its fabric uplinks, whose
 * carrier is what brings it online at the parent, and its number.
 */
import type { Frame } from '../../core/frame.ts';
import type { Network } from '../../core/network.ts';
import { NetworkNode } from '../../core/node.ts';
import type { Port } from '../../core/port.ts';
import { NexusSwitch, type FexUnit } from '../cisco-nexus-5548/device.ts';
import { findPort, type Settings } from '../kind.ts';
import { fexFabricPorts, fexNumber } from './info.ts';

export class NexusFex extends NetworkNode implements FexUnit {
  readonly fexNumber: number;

  constructor(net: Network, name: string, settings: Settings) {
    super(net, name);
    this.fexNumber = fexNumber(settings);
    for (const p of fexFabricPorts()) this.addPort(p.name, p.speedBps);
  }

  /** Nothing is switched here; a fabric port carries no bridged traffic. */
  receive(_port: Port, f: Frame): void {
    this.net.pool.release(f);
  }

  /**
   * A fabric port, or the parent's port behind a host port. The parent is the Nexus whose
   * startup configuration associates this FEX number and whose fabric port is cabled here; while
   * the lab is being cabled that may not be known yet, so a Nexus that is the only one with this
   * FEX number's host ports will do.
   */
  override portByName(name: string): Port | undefined {
    const own = findPort(fexFabricPorts(), name);
    if (own) return super.portByName(own.name);
    const parents: NexusSwitch[] = [];
    for (const n of this.net.nodes) if (n instanceof NexusSwitch && n.fexNumbers.includes(this.fexNumber)) parents.push(n);
    const cabled = parents.filter((p) => this.ports.some((fp) => fp.peer?.node === p));
    const parent = cabled.length === 1 ? cabled[0] : parents.length === 1 ? parents[0] : undefined;
    if (parent === undefined) {
      throw new Error(
        parents.length === 0
          ? `${this.name}: no Nexus 5548 in the lab has 'fex associate ${this.fexNumber}' in its startup configuration, so FEX ${this.fexNumber}'s host ports do not exist`
          : `${this.name}: several Nexus switches associate FEX ${this.fexNumber}; list this FEX's fabric link before its host links`,
      );
    }
    return parent.fexHostPort(this.fexNumber, name);
  }
}
