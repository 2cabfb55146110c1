/**
 * BGP-4 messages (RFC 4271) with the multiprotocol extensions an MPLS VPN needs (RFC 4760,
 * RFC 4364): OPEN with multiprotocol capabilities, KEEPALIVE, NOTIFICATION, and UPDATE carrying
 * IPv4 unicast NLRI and VPNv4 NLRI (label, route distinguisher, prefix) in MP_REACH/MP_UNREACH,
 * with ORIGIN, AS_PATH (two-octet AS_SEQUENCE), NEXT_HOP, MED, LOCAL_PREF, ORIGINATOR_ID,
 * CLUSTER_LIST and route-target extended communities.
 */

import { formatIpv4 } from '../core/ipv4.ts';
import { viewOf } from './bytes.ts';
import { field, need, TruncatedError, type DecodeNode, type LayerDecode } from './decode-tree.ts';

export const BGP_TCP_PORT = 179;
export const BGP_HEADER_LENGTH = 19;
export const BGP_OPEN = 1;
export const BGP_UPDATE = 2;
export const BGP_NOTIFICATION = 3;
export const BGP_KEEPALIVE = 4;
export const AFI_IPV4 = 1;
export const SAFI_UNICAST = 1;
export const SAFI_MPLS_VPN = 128;

const ATTR_ORIGIN = 1;
const ATTR_AS_PATH = 2;
const ATTR_NEXT_HOP = 3;
const ATTR_MED = 4;
const ATTR_LOCAL_PREF = 5;
const ATTR_ORIGINATOR_ID = 9;
const ATTR_CLUSTER_LIST = 10;
const ATTR_MP_REACH = 14;
const ATTR_MP_UNREACH = 15;
const ATTR_EXT_COMMUNITIES = 16;
const FLAG_OPTIONAL = 0x80;
const FLAG_TRANSITIVE = 0x40;
const FLAG_EXTENDED = 0x10;
const AS_SEQUENCE = 2;
const RD_LENGTH = 8;
const LABEL_LENGTH = 3;

export interface AddressFamily {
  afi: number;
  safi: number;
}

export interface BgpOpen {
  readonly type: typeof BGP_OPEN;
  myAs: number;
  holdTime: number;
  bgpId: number;
  families: AddressFamily[];
}

export interface BgpKeepalive {
  readonly type: typeof BGP_KEEPALIVE;
}

export interface BgpNotification {
  readonly type: typeof BGP_NOTIFICATION;
  code: number;
  subcode: number;
}

export interface Ipv4Prefix {
  prefix: number;
  length: number;
}

/** A VPNv4 NLRI: the route distinguisher ("ASN:nn" or "a.b.c.d:nn") makes the prefix unique; the label is the egress PE's VPN label. */
export interface VpnPrefix extends Ipv4Prefix {
  rd: string;
  label: number;
}

export type BgpOrigin = 0 | 1 | 2;

export interface BgpAttributes {
  origin: BgpOrigin;
  asPath: number[];
  /** NEXT_HOP for IPv4 unicast, the MP_REACH next hop for VPNv4. */
  nextHop: number;
  med: number | null;
  localPref: number | null;
  /** Route targets, "ASN:nn" or "a.b.c.d:nn". */
  routeTargets: string[];
  originatorId: number | null;
  clusterList: number[];
}

export interface BgpUpdate {
  readonly type: typeof BGP_UPDATE;
  withdrawn: Ipv4Prefix[];
  /** Null when the update only withdraws. */
  attrs: BgpAttributes | null;
  nlri: Ipv4Prefix[];
  vpnReach: VpnPrefix[];
  vpnWithdrawn: VpnPrefix[];
}

export type BgpMessage = BgpOpen | BgpKeepalive | BgpNotification | BgpUpdate;

// ---- route distinguishers and targets --------------------------------------------------------

/**
 * "65001:10" (type 0, two-octet AS) or "10.0.0.1:10" (type 1, IPv4 address) as eight bytes: a
 * route distinguisher (two-octet type), or a route-target extended community (type octet, then
 * subtype 2); null when the text is neither form.
 */
export function encodeRdOrRt(text: string, what: 'rd' | 'rt'): Uint8Array | null {
  const m = /^(\d+(?:\.\d+){0,3}):(\d+)$/.exec(text);
  if (!m) return null;
  const out = new Uint8Array(8);
  const v = viewOf(out);
  const left = m[1]!;
  const right = Number(m[2]);
  const ipForm = left.includes('.');
  if (what === 'rd') v.setUint16(0, ipForm ? 1 : 0);
  else {
    v.setUint8(0, ipForm ? 1 : 0);
    v.setUint8(1, 2);
  }
  if (ipForm) {
    const parts = left.split('.').map(Number);
    if (parts.length !== 4 || parts.some((p) => p > 255) || right > 0xffff) return null;
    parts.forEach((p, i) => v.setUint8(2 + i, p));
    v.setUint16(6, right);
    return out;
  }
  const asn = Number(left);
  if (asn > 0xffff || right > 0xffffffff) return null;
  v.setUint16(2, asn);
  v.setUint32(4, right);
  return out;
}

export function isValidRd(text: string): boolean {
  return encodeRdOrRt(text, 'rd') !== null;
}

function decodeRd(v: DataView, at: number): string {
  const type = v.getUint16(at);
  if (type === 1) return `${v.getUint8(at + 2)}.${v.getUint8(at + 3)}.${v.getUint8(at + 4)}.${v.getUint8(at + 5)}:${v.getUint16(at + 6)}`;
  return `${v.getUint16(at + 2)}:${v.getUint32(at + 4)}`;
}

function decodeRt(v: DataView, at: number): string | null {
  const high = v.getUint8(at) & 0x3f;
  if (v.getUint8(at + 1) !== 2) return null;
  if (high === 0) return `${v.getUint16(at + 2)}:${v.getUint32(at + 4)}`;
  if (high === 1) return `${v.getUint8(at + 2)}.${v.getUint8(at + 3)}.${v.getUint8(at + 4)}.${v.getUint8(at + 5)}:${v.getUint16(at + 6)}`;
  return null;
}

// ---- encoding --------------------------------------------------------------------------------

class Writer {
  readonly bytes: number[] = [];
  u8(n: number): void {
    this.bytes.push(n & 0xff);
  }
  u16(n: number): void {
    this.u8(n >>> 8);
    this.u8(n);
  }
  u32(n: number): void {
    this.u16(n >>> 16);
    this.u16(n & 0xffff);
  }
  all(b: Uint8Array | readonly number[]): void {
    for (const x of b) this.u8(x);
  }
}

function prefixBytes(w: Writer, p: Ipv4Prefix): void {
  const n = Math.ceil(p.length / 8);
  for (let i = 0; i < n; i++) w.u8((p.prefix >>> (24 - 8 * i)) & 0xff);
}

function vpnNlri(w: Writer, p: VpnPrefix): void {
  w.u8(LABEL_LENGTH * 8 + RD_LENGTH * 8 + p.length);
  const l = ((p.label & 0xfffff) << 4) | 1;
  w.u8(l >>> 16);
  w.u16(l & 0xffff);
  w.all(encodeRdOrRt(p.rd, 'rd') ?? new Uint8Array(8));
  prefixBytes(w, p);
}

function attribute(w: Writer, flags: number, type: number, body: Writer): void {
  const ext = body.bytes.length > 255;
  w.u8(flags | (ext ? FLAG_EXTENDED : 0));
  w.u8(type);
  if (ext) w.u16(body.bytes.length);
  else w.u8(body.bytes.length);
  w.all(body.bytes);
}

function attributes(m: BgpUpdate): Writer {
  const w = new Writer();
  const a = m.attrs;
  if (a !== null) {
    const origin = new Writer();
    origin.u8(a.origin);
    attribute(w, FLAG_TRANSITIVE, ATTR_ORIGIN, origin);
    const path = new Writer();
    if (a.asPath.length > 0) {
      path.u8(AS_SEQUENCE);
      path.u8(a.asPath.length);
      for (const as of a.asPath) path.u16(as);
    }
    attribute(w, FLAG_TRANSITIVE, ATTR_AS_PATH, path);
    if (m.nlri.length > 0) {
      const nh = new Writer();
      nh.u32(a.nextHop);
      attribute(w, FLAG_TRANSITIVE, ATTR_NEXT_HOP, nh);
    }
    if (a.med !== null) {
      const med = new Writer();
      med.u32(a.med);
      attribute(w, FLAG_OPTIONAL, ATTR_MED, med);
    }
    if (a.localPref !== null) {
      const lp = new Writer();
      lp.u32(a.localPref);
      attribute(w, FLAG_TRANSITIVE, ATTR_LOCAL_PREF, lp);
    }
    if (a.originatorId !== null) {
      const o = new Writer();
      o.u32(a.originatorId);
      attribute(w, FLAG_OPTIONAL, ATTR_ORIGINATOR_ID, o);
    }
    if (a.clusterList.length > 0) {
      const c = new Writer();
      for (const id of a.clusterList) c.u32(id);
      attribute(w, FLAG_OPTIONAL, ATTR_CLUSTER_LIST, c);
    }
    if (a.routeTargets.length > 0) {
      const x = new Writer();
      for (const rt of a.routeTargets) x.all(encodeRdOrRt(rt, 'rt') ?? new Uint8Array(8));
      attribute(w, FLAG_OPTIONAL | FLAG_TRANSITIVE, ATTR_EXT_COMMUNITIES, x);
    }
    if (m.vpnReach.length > 0) {
      const r = new Writer();
      r.u16(AFI_IPV4);
      r.u8(SAFI_MPLS_VPN);
      r.u8(RD_LENGTH + 4);
      r.all(new Uint8Array(RD_LENGTH));
      r.u32(a.nextHop);
      r.u8(0);
      for (const p of m.vpnReach) vpnNlri(r, p);
      attribute(w, FLAG_OPTIONAL, ATTR_MP_REACH, r);
    }
  }
  if (m.vpnWithdrawn.length > 0) {
    const u = new Writer();
    u.u16(AFI_IPV4);
    u.u8(SAFI_MPLS_VPN);
    for (const p of m.vpnWithdrawn) vpnNlri(u, p);
    attribute(w, FLAG_OPTIONAL, ATTR_MP_UNREACH, u);
  }
  return w;
}

export function encodeBgp(m: BgpMessage): Uint8Array {
  const w = new Writer();
  for (let i = 0; i < 16; i++) w.u8(0xff);
  w.u16(0);
  w.u8(m.type);
  switch (m.type) {
    case BGP_OPEN: {
      w.u8(4);
      w.u16(m.myAs > 0xffff ? 23456 : m.myAs);
      w.u16(m.holdTime);
      w.u32(m.bgpId);
      const params = new Writer();
      for (const f of m.families) {
        params.u8(2); // capabilities
        params.u8(6);
        params.u8(1); // multiprotocol
        params.u8(4);
        params.u16(f.afi);
        params.u8(0);
        params.u8(f.safi);
      }
      w.u8(params.bytes.length);
      w.all(params.bytes);
      break;
    }
    case BGP_NOTIFICATION:
      w.u8(m.code);
      w.u8(m.subcode);
      break;
    case BGP_UPDATE: {
      const wd = new Writer();
      for (const p of m.withdrawn) {
        wd.u8(p.length);
        prefixBytes(wd, p);
      }
      w.u16(wd.bytes.length);
      w.all(wd.bytes);
      const attrs = attributes(m);
      w.u16(attrs.bytes.length);
      w.all(attrs.bytes);
      for (const p of m.nlri) {
        w.u8(p.length);
        prefixBytes(w, p);
      }
      break;
    }
    case BGP_KEEPALIVE:
      break;
  }
  const out = Uint8Array.from(w.bytes);
  viewOf(out).setUint16(16, out.length);
  return out;
}

/** Bytes the message takes on the TCP stream. */
export function bgpLength(m: BgpMessage): number {
  return m.type === BGP_KEEPALIVE ? BGP_HEADER_LENGTH : encodeBgp(m).length;
}

// ---- decoding --------------------------------------------------------------------------------

function readPrefix(v: DataView, at: number, end: number, length: number): { p: Ipv4Prefix; next: number } {
  if (length > 32) throw new TruncatedError('BGP prefix length');
  const n = Math.ceil(length / 8);
  if (at + n > end) throw new TruncatedError('BGP prefix');
  let prefix = 0;
  for (let i = 0; i < n; i++) prefix |= v.getUint8(at + i) << (24 - 8 * i);
  return { p: { prefix: prefix >>> 0, length }, next: at + n };
}

function readVpnNlri(v: DataView, at: number, end: number): { p: VpnPrefix; next: number } {
  const bits = v.getUint8(at);
  const length = bits - (LABEL_LENGTH + RD_LENGTH) * 8;
  if (at + 1 + LABEL_LENGTH + RD_LENGTH > end || length < 0) throw new TruncatedError('VPNv4 NLRI');
  const l = (v.getUint8(at + 1) << 16) | v.getUint16(at + 2);
  const rd = decodeRd(v, at + 4);
  const { p, next } = readPrefix(v, at + 1 + LABEL_LENGTH + RD_LENGTH, end, length);
  return { p: { ...p, rd, label: l >>> 4 }, next };
}

export function formatPrefix(p: Ipv4Prefix): string {
  return `${formatIpv4(p.prefix)}/${p.length}`;
}

export function bgpSummary(m: BgpMessage): string {
  switch (m.type) {
    case BGP_OPEN:
      return `OPEN Message, AS ${m.myAs}, Hold ${m.holdTime}, ID ${formatIpv4(m.bgpId)}`;
    case BGP_KEEPALIVE:
      return 'KEEPALIVE Message';
    case BGP_NOTIFICATION:
      return `NOTIFICATION Message, code ${m.code}/${m.subcode}`;
    case BGP_UPDATE: {
      const parts = [...m.nlri.map(formatPrefix), ...m.vpnReach.map((p) => `RD ${p.rd} ${formatPrefix(p)} label ${p.label}`)];
      const gone = [...m.withdrawn.map(formatPrefix), ...m.vpnWithdrawn.map((p) => `RD ${p.rd} ${formatPrefix(p)}`)];
      return `UPDATE Message${parts.length > 0 ? `, ${parts.join(', ')}` : ''}${gone.length > 0 ? `, withdrawn ${gone.join(', ')}` : ''}`;
    }
  }
}

function decodeUpdate(v: DataView, end: number, base: number, nodes: DecodeNode[]): BgpUpdate {
  const m: BgpUpdate = { type: BGP_UPDATE, withdrawn: [], attrs: null, nlri: [], vpnReach: [], vpnWithdrawn: [] };
  let at = BGP_HEADER_LENGTH;
  const wdLen = v.getUint16(at);
  at += 2;
  const wdEnd = at + wdLen;
  while (at < wdEnd) {
    const r = readPrefix(v, at + 1, wdEnd, v.getUint8(at));
    m.withdrawn.push(r.p);
    at = r.next;
  }
  const attrLen = v.getUint16(at);
  at += 2;
  const attrEnd = at + attrLen;
  if (attrEnd > end) throw new TruncatedError('BGP path attributes');
  const a: BgpAttributes = { origin: 0, asPath: [], nextHop: 0, med: null, localPref: null, routeTargets: [], originatorId: null, clusterList: [] };
  let sawAttrs = false;
  while (at < attrEnd) {
    const flags = v.getUint8(at);
    const type = v.getUint8(at + 1);
    const ext = (flags & FLAG_EXTENDED) !== 0;
    const len = ext ? v.getUint16(at + 2) : v.getUint8(at + 2);
    const body = at + (ext ? 4 : 3);
    const stop = body + len;
    if (stop > attrEnd) throw new TruncatedError('BGP path attribute');
    switch (type) {
      case ATTR_ORIGIN:
        a.origin = (v.getUint8(body) & 3) as BgpOrigin;
        sawAttrs = true;
        break;
      case ATTR_AS_PATH:
        for (let s = body; s + 2 <= stop; ) {
          const count = v.getUint8(s + 1);
          for (let i = 0; i < count; i++) a.asPath.push(v.getUint16(s + 2 + 2 * i));
          s += 2 + 2 * count;
        }
        break;
      case ATTR_NEXT_HOP:
        a.nextHop = v.getUint32(body);
        break;
      case ATTR_MED:
        a.med = v.getUint32(body);
        break;
      case ATTR_LOCAL_PREF:
        a.localPref = v.getUint32(body);
        break;
      case ATTR_ORIGINATOR_ID:
        a.originatorId = v.getUint32(body);
        break;
      case ATTR_CLUSTER_LIST:
        for (let s = body; s + 4 <= stop; s += 4) a.clusterList.push(v.getUint32(s));
        break;
      case ATTR_EXT_COMMUNITIES:
        for (let s = body; s + 8 <= stop; s += 8) {
          const rt = decodeRt(v, s);
          if (rt !== null) a.routeTargets.push(rt);
        }
        break;
      case ATTR_MP_REACH: {
        const nhLen = v.getUint8(body + 3);
        a.nextHop = v.getUint32(body + 4 + nhLen - 4);
        sawAttrs = true;
        for (let s = body + 4 + nhLen + 1; s < stop; ) {
          const r = readVpnNlri(v, s, stop);
          m.vpnReach.push(r.p);
          s = r.next;
        }
        break;
      }
      case ATTR_MP_UNREACH:
        for (let s = body + 3; s < stop; ) {
          const r = readVpnNlri(v, s, stop);
          m.vpnWithdrawn.push(r.p);
          s = r.next;
        }
        break;
      default:
        break;
    }
    nodes.push(field(`Path attribute type ${type} (${len} bytes)`, base + at, stop - at));
    at = stop;
  }
  if (sawAttrs) m.attrs = a;
  while (at < end) {
    const r = readPrefix(v, at + 1, end, v.getUint8(at));
    m.nlri.push(r.p);
    at = r.next;
  }
  return m;
}

/** One message from the start of `bytes`; `length` is how many bytes it took. */
export function decodeBgp(bytes: Uint8Array, base: number): LayerDecode<BgpMessage> & { length: number } {
  need(bytes, BGP_HEADER_LENGTH, 'BGP');
  const v = viewOf(bytes);
  const length = v.getUint16(16);
  const type = v.getUint8(18);
  if (length < BGP_HEADER_LENGTH) throw new TruncatedError('BGP length');
  need(bytes, length, 'BGP message');
  const problems: string[] = [];
  for (let i = 0; i < 16; i++) if (v.getUint8(i) !== 0xff) problems.push('BGP: marker is not all ones');
  const children: DecodeNode[] = [field('Marker', base, 16), field(`Length: ${length}`, base + 16, 2), field(`Type: ${type}`, base + 18, 1)];
  let record: BgpMessage;
  switch (type) {
    case BGP_OPEN: {
      need(bytes, 29, 'BGP OPEN');
      const families: AddressFamily[] = [];
      const optLen = v.getUint8(28);
      for (let at = 29; at + 2 <= 29 + optLen; ) {
        const ptype = v.getUint8(at);
        const plen = v.getUint8(at + 1);
        if (ptype === 2) {
          for (let c = at + 2; c + 2 <= at + 2 + plen; ) {
            const code = v.getUint8(c);
            const clen = v.getUint8(c + 1);
            if (code === 1 && clen === 4) families.push({ afi: v.getUint16(c + 2), safi: v.getUint8(c + 5) });
            c += 2 + clen;
          }
        }
        at += 2 + plen;
      }
      record = { type: BGP_OPEN, myAs: v.getUint16(20), holdTime: v.getUint16(22), bgpId: v.getUint32(24), families };
      children.push(field(`My AS: ${record.myAs}`, base + 20, 2), field(`Hold Time: ${record.holdTime}`, base + 22, 2), field(`BGP Identifier: ${formatIpv4(record.bgpId)}`, base + 24, 4));
      break;
    }
    case BGP_KEEPALIVE:
      record = { type: BGP_KEEPALIVE };
      break;
    case BGP_NOTIFICATION:
      need(bytes, 21, 'BGP NOTIFICATION');
      record = { type: BGP_NOTIFICATION, code: v.getUint8(19), subcode: v.getUint8(20) };
      break;
    case BGP_UPDATE:
      record = decodeUpdate(v, length, base, children);
      break;
    default:
      throw new TruncatedError(`BGP (type ${type} is not modelled)`);
  }
  return {
    record,
    length,
    nodes: [field('Border Gateway Protocol', base, length, children)],
    summary: bgpSummary(record),
    protocol: 'BGP',
    problems,
  };
}
