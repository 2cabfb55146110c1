import type { Network } from './network.ts';
import type { Port } from './port.ts';

/** A full-duplex point-to-point cable between two ports. */
export class Link {
  /** Physical state: false when the cable is pulled or the lab starts it down. */
  up: boolean;

  constructor(
    readonly net: Network,
    readonly a: Port,
    readonly b: Port,
    readonly rateBps: number,
    readonly delayNs: number,
    up: boolean,
  ) {
    if (a.link !== null || b.link !== null) throw new Error(`port already linked: ${a.link ? a.node.name + ':' + a.name : b.node.name + ':' + b.name}`);
    this.up = up;
    a.attach(this, b, rateBps, delayNs);
    b.attach(this, a, rateBps, delayNs);
    a.initCarrier();
    b.initCarrier();
    a.node.portAttached(a);
    b.node.portAttached(b);
  }

  get name(): string {
    return `${this.a.node.name}:${this.a.name}--${this.b.node.name}:${this.b.name}`;
  }

  /** Pull or plug the cable: both ends see the carrier change after the propagation delay. */
  setUp(up: boolean): void {
    if (this.up === up) return;
    this.up = up;
    this.net.emit(up ? 'link.up' : 'link.down', `link ${this.name} ${up ? 'up' : 'down'}`);
    this.a.scheduleCarrierCheck(this.delayNs);
    this.b.scheduleCarrierCheck(this.delayNs);
  }
}
