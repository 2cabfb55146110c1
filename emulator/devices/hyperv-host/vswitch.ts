/**
 * A Hyper-V external virtual switch: the host's uplink (one NIC or an LBFO team) on one side,
 * the VMs' vNIC ports on the other.
 *
 * Port rules (DOMAIN.md §2.1, the Hyper-V MAC spoofing rules [V]):
 * - Spoofing Off: the port sends only with its own MAC (other source MACs are dropped), the MAC
 *   cannot be learned anywhere else, and the port is not given unicast-flooded frames: it gets
 *   unicast only for its assigned MAC, plus broadcast and multicast.
 * - Spoofing On: the port may send with any MAC and the switch learns the MACs it uses; it also
 *   receives unknown unicast, which is how an NLB unicast cluster MAC reaches its guests.
 * Anything not known to be local goes out the uplink; the uplink never gets its own frames back.
 */
import type { Frame } from '../../core/frame.ts';
import { formatMac } from '../../core/mac.ts';
import { formatIpv4 } from '../../core/ipv4.ts';
import type { Network } from '../../core/network.ts';
import { BROADCAST_MAC, ETHERTYPE_ARP } from '../../core/packets.ts';
import type { VnicPort, VnicSink } from './vm.ts';

const INV_TWO32 = 1 / 4294967296;

/** Where the switch sends frames bound for the physical network. */
export interface VSwitchUplink {
  /** Send a frame sourced by vNIC `source` (its id). Ownership passes. */
  transmit(f: Frame, source: number): void;
}

export interface VSwitchMacView {
  vlan: number;
  mac: number;
  vm: string;
  adapter: number;
  learned: boolean;
}

export class ExternalVSwitch implements VnicSink {
  readonly vnics: VnicPort[] = [];
  /** Spoofed frames refused, over all ports. */
  spoofDrops = 0;
  /** Unicast frames from the uplink that matched no port able to take them. */
  unknownUnicastDrops = 0;
  /** vlan → MAC → port. Assigned MACs are entered on attach; learned ones while spoofing is on. */
  private tables = new Map<number, Map<number, { vnic: VnicPort; learned: boolean }>>();
  private reported = new Set<string>();

  constructor(
    private readonly net: Network,
    /** The host's name, for events. */
    private readonly hostName: string,
    readonly name: string,
    private readonly uplink: VSwitchUplink,
  ) {}

  // ---- ports --------------------------------------------------------------------------------

  attach(v: VnicPort): void {
    if (!this.vnics.includes(v)) this.vnics.push(v);
    v.sink = this;
    this.table(v.vlan).set(v.mac, { vnic: v, learned: false });
  }

  detach(v: VnicPort): void {
    const i = this.vnics.indexOf(v);
    if (i >= 0) this.vnics.splice(i, 1);
    if (v.sink === this) v.sink = null;
    for (const t of this.tables.values()) for (const [mac, e] of t) if (e.vnic === v) t.delete(mac);
  }

  /** Change a port's spoofing setting: turning it off forgets what the port had learned. */
  setSpoofing(v: VnicPort, on: boolean): void {
    v.macSpoofing = on;
    if (!on) for (const t of this.tables.values()) for (const [mac, e] of t) if (e.vnic === v && e.learned) t.delete(mac);
  }

  setVlan(v: VnicPort, vlan: number): void {
    const attached = this.vnics.includes(v);
    if (attached) this.detach(v);
    v.vlan = vlan;
    if (attached) this.attach(v);
  }

  private table(vlan: number): Map<number, { vnic: VnicPort; learned: boolean }> {
    let t = this.tables.get(vlan);
    if (t === undefined) {
      t = new Map();
      this.tables.set(vlan, t);
    }
    return t;
  }

  // ---- forwarding ---------------------------------------------------------------------------

  fromVnic(v: VnicPort, f: Frame): void {
    if (f.vlan !== 0) {
      // An access port: the guest does not tag.
      this.net.pool.release(f);
      return;
    }
    const src = f.src;
    if (!v.macSpoofing && src !== v.mac) {
      v.spoofDrops++;
      this.spoofDrops++;
      this.reportSpoof(v, src);
      this.net.pool.release(f);
      return;
    }
    if (v.macSpoofing && (((src * INV_TWO32) | 0) & 0x0100) === 0) {
      const t = this.table(v.vlan);
      const e = t.get(src);
      // An address assigned to another port stays there: only that port may use it.
      if (e === undefined || (e.learned && e.vnic !== v)) t.set(src, { vnic: v, learned: true });
    }
    this.forward(f, v.vlan, v);
  }

  /** A frame from the physical network (already accepted by the team). */
  fromUplink(f: Frame): void {
    const vid = f.vlan;
    if (vid !== 0) {
      f.vlan = 0;
      f.size -= 4;
    }
    this.forward(f, vid, null);
  }

  /** Send a frame as if vNIC `v` had sent it, past the spoofing check (the host speaks for the VM). */
  sendFor(v: VnicPort, f: Frame): void {
    this.forward(f, v.vlan, v);
  }

  private forward(f: Frame, vid: number, from: VnicPort | null): void {
    const dst = f.dst;
    const group = (((dst * INV_TWO32) | 0) & 0x0100) !== 0;
    if (!group) {
      const e = this.tables.get(vid)?.get(dst);
      if (e !== undefined) {
        if (e.vnic !== from) e.vnic.deliver(f);
        else this.net.pool.release(f);
        return;
      }
    }
    // Group or unknown unicast: local ports that may take it, then the uplink (unless it came from there).
    const targets: VnicPort[] = [];
    for (const v of this.vnics) {
      if (v === from || v.vlan !== vid) continue;
      if (group || v.macSpoofing) targets.push(v);
    }
    const toUplink = from !== null;
    if (!toUplink && !group && targets.length === 0) this.unknownUnicastDrops++;
    const n = targets.length + (toUplink ? 1 : 0);
    if (n === 0) {
      this.net.pool.release(f);
      return;
    }
    let sent = 0;
    for (const v of targets) {
      sent++;
      v.deliver(sent === n ? f : this.net.pool.copy(f));
    }
    if (toUplink) {
      if (vid !== 0) {
        f.vlan = vid;
        f.size += 4;
      }
      this.uplink.transmit(f, (from as VnicPort).id);
    }
  }

  private reportSpoof(v: VnicPort, src: number): void {
    const key = `${v.name}/${src}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.net.emit(
      'vswitch.spoof-drop',
      `${this.hostName}: ${this.name} dropped frames from ${v.vm.name} sourced from ${formatMac(src, '-')}: MAC address spoofing is off and the adapter's address is ${formatMac(v.mac, '-')}`,
      this.hostName,
      v.vm.name,
    );
  }

  /**
   * Unsolicited ARP replies for the VM's addresses after it resumes here (DOMAIN §2.3: sender IP
   * = each VM address), sent out as if from its vNIC with the adapter's MAC as source, so that
   * the team pins them like the VM's own traffic and the physical switches learn the new port.
   * The ARP body gives each address at `arpMac(ip)`, the binding the VM itself advertises: an
   * NLB multicast cluster IP stays at its cluster MAC rather than being moved to one node.
   */
  announce(v: VnicPort, mac: number, addresses: readonly number[], arpMac: (ip: number) => number = () => mac): void {
    for (const ip of addresses) {
      const sender = arpMac(ip);
      const f = this.net.pool.alloc();
      f.dst = BROADCAST_MAC;
      f.src = mac;
      f.vlan = 0;
      f.pcp = 0;
      f.etherType = ETHERTYPE_ARP;
      f.size = 64;
      f.payload = { kind: 'arp', op: 2, senderMac: sender, senderIp: ip, targetMac: sender, targetIp: ip };
      f.tag = 0;
      this.net.emit(
        'arp.unsolicited',
        `${this.hostName}: unsolicited ARP reply for ${formatIpv4(ip)} at ${formatMac(sender, '-')} on behalf of ${v.vm.name}`,
        this.hostName,
        v.vm.name,
      );
      this.sendFor(v, f);
    }
  }

  macTable(): VSwitchMacView[] {
    const out: VSwitchMacView[] = [];
    for (const [vlan, t] of this.tables) for (const [mac, e] of t) out.push({ vlan, mac, vm: e.vnic.vm.name, adapter: e.vnic.index, learned: e.learned });
    return out.sort((a, b) => a.vlan - b.vlan || a.mac - b.mac);
  }
}
