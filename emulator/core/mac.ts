/**
 * 48-bit MAC addresses as plain numbers (exact in a double). Helpers for parsing and printing in
 * the notations vendors use.
 */

const TWO32 = 4294967296;

export const BROADCAST = 0xffffffffffff;

/** High 16 bits (first two octets). */
export function macHigh(mac: number): number {
  return (mac / TWO32) | 0;
}

/** Group (multicast or broadcast) addresses have the I/G bit, the LSB of the first octet, set. */
export function isGroupMac(mac: number): boolean {
  return (((mac / TWO32) | 0) & 0x0100) !== 0;
}

export function isBroadcastMac(mac: number): boolean {
  return mac === BROADCAST;
}

/** Parse `aa:bb:cc:dd:ee:ff`, `aa-bb-cc-dd-ee-ff`, `aabb.ccdd.eeff` or 12 hex digits. */
export function parseMac(text: string): number {
  const hex = text.trim().toLowerCase().replace(/[:.\-]/g, '');
  if (!/^[0-9a-f]{12}$/.test(hex)) throw new Error(`not a MAC address: ${text}`);
  return parseInt(hex, 16);
}

function hex12(mac: number): string {
  return mac.toString(16).padStart(12, '0');
}

/** `aa:bb:cc:dd:ee:ff` */
export function formatMac(mac: number, sep = ':'): string {
  const h = hex12(mac);
  return [0, 2, 4, 6, 8, 10].map((i) => h.slice(i, i + 2)).join(sep);
}

/** Cisco's dotted form `aabb.ccdd.eeff`. */
export function formatMacCisco(mac: number): string {
  const h = hex12(mac);
  return `${h.slice(0, 4)}.${h.slice(4, 8)}.${h.slice(8, 12)}`;
}

/** A locally administered unicast MAC derived from a stable number (device and port ids). */
export function localMac(n: number): number {
  // 02:xx:... : locally administered, unicast
  return 0x020000000000 + (n % 0x10000000000);
}
