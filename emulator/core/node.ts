import type { Frame } from './frame.ts';
import type { Network } from './network.ts';
import { Port } from './port.ts';
import type { Prng } from './prng.ts';

/** Anything with ports: a switch, a host, a router. */
export abstract class NetworkNode {
  readonly ports: Port[] = [];
  private rng: Prng | null = null;
  declare readonly net: Network;
  /** Stable, unique name (the lab's device name). */
  declare readonly name: string;

  constructor(net: Network, name: string) {
    this.net = net;
    this.name = name;
    net.addNode(this);
  }

  protected addPort(name: string, speedBps: number): Port {
    const p = new Port(this, this.ports.length, name, speedBps);
    this.ports.push(p);
    return p;
  }

  portByName(name: string): Port | undefined {
    const wanted = name.toLowerCase();
    return this.ports.find((p) => p.name.toLowerCase() === wanted);
  }

  /** This device's own random stream (independent of every other device's). */
  get random(): Prng {
    if (this.rng === null) this.rng = this.net.random.forId(this.name);
    return this.rng;
  }

  /** A frame arrived on an operationally up port. The node now owns it. */
  abstract receive(port: Port, frame: Frame): void;

  /** Carrier changed on one of this node's ports. */
  portStateChanged(_port: Port, _up: boolean): void {}

  /** A cable was attached to `port` while building the network (its carrier is already set, no event). */
  portAttached(_port: Port): void {}

  /** Called once at time 0 when the network starts running. */
  start(): void {}
}
