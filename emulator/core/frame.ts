import type { FramePayload } from './packets.ts';

/**
 * One Ethernet frame as it travels the forwarding path: header fields as numbers, the payload as
 * a protocol record (never bytes). Every frame is created by a `FramePool` with the same field
 * order so V8 keeps one hidden class for all of them.
 *
 * Ownership: a frame belongs to exactly one place at a time (a queue, an event, a handler). Who
 * consumes it (delivers it to an application, drops it) gives it back with `pool.release`. A
 * payload record is immutable once its frame is sent: flooding copies share the record.
 */
export class Frame {
  /** Destination MAC, 48-bit number. */
  dst = 0;
  /** Source MAC, 48-bit number. */
  src = 0;
  /** 802.1Q VLAN id as seen on the wire; 0 = untagged. */
  vlan = 0;
  /** 802.1p priority code point (meaningful when tagged). */
  pcp = 0;
  etherType = 0;
  /** Length in bytes from destination MAC through FCS, including the 802.1Q tag when tagged. */
  size = 0;
  payload: FramePayload | null = null;
  /** Opaque number for tests, traffic generators and the benchmark (e.g. a flow or probe id). */
  tag = 0;
}

/** A free list of frames so the steady-state forwarding path allocates nothing. */
export class FramePool {
  private free: Frame[] = [];
  /** Frames handed out and not yet released (a leak shows up here in tests). */
  live = 0;

  alloc(): Frame {
    this.live++;
    const f = this.free.pop();
    return f === undefined ? new Frame() : f;
  }

  /** A copy of `f` with the same header and (shared, immutable) payload. */
  copy(f: Frame): Frame {
    const c = this.alloc();
    c.dst = f.dst;
    c.src = f.src;
    c.vlan = f.vlan;
    c.pcp = f.pcp;
    c.etherType = f.etherType;
    c.size = f.size;
    c.payload = f.payload;
    c.tag = f.tag;
    return c;
  }

  release(f: Frame): void {
    this.live--;
    f.payload = null;
    this.free.push(f);
  }
}
