/**
 * Text forms of MAC and IPv4 addresses. On the forwarding path both are plain numbers (48-bit MAC,
 * uint32 IPv4); text appears only in CLIs, lab files, captures and the UI.
 */

const TWO_32 = 0x1_0000_0000;
const MAX_MAC = 0xffff_ffff_ffff;

export type MacStyle =
  /** `aa:bb:cc:dd:ee:ff` (IEEE/Linux/Wireshark). */
  | 'colon'
  /** `aabb.ccdd.eeff` (Cisco IOS/NX-OS). */
  | 'cisco'
  /** `aa-bb-cc-dd-ee-ff` (Windows, HP Virtual Connect). */
  | 'windows';

function macOctets(mac: number): string[] {
  const hi = Math.floor(mac / TWO_32);
  const lo = mac % TWO_32;
  const octets = [hi >>> 8, hi & 0xff, lo >>> 24, (lo >>> 16) & 0xff, (lo >>> 8) & 0xff, lo & 0xff];
  return octets.map((o) => o.toString(16).padStart(2, '0'));
}

export function formatMac(mac: number, style: MacStyle = 'colon'): string {
  const o = macOctets(mac);
  switch (style) {
    case 'colon':
      return o.join(':');
    case 'windows':
      return o.join('-');
    case 'cisco':
      return `${o[0]}${o[1]}.${o[2]}${o[3]}.${o[4]}${o[5]}`;
  }
}

const MAC_FORMS = [
  /^([0-9a-f]{2})[:]([0-9a-f]{2})[:]([0-9a-f]{2})[:]([0-9a-f]{2})[:]([0-9a-f]{2})[:]([0-9a-f]{2})$/i,
  /^([0-9a-f]{2})-([0-9a-f]{2})-([0-9a-f]{2})-([0-9a-f]{2})-([0-9a-f]{2})-([0-9a-f]{2})$/i,
  /^([0-9a-f]{4})\.([0-9a-f]{4})\.([0-9a-f]{4})$/i,
  /^([0-9a-f]{12})$/i,
];

/** Parses any of the three vendor spellings (or 12 bare hex digits); null when it is none of them. */
export function parseMac(text: string): number | null {
  const t = text.trim();
  for (const form of MAC_FORMS) {
    const m = form.exec(t);
    if (m) return parseInt(m.slice(1).join(''), 16);
  }
  return null;
}

export function isMulticastMac(mac: number): boolean {
  // The I/G bit is the least significant bit of the first octet.
  return Math.floor(mac / 0x100_0000_0000) % 2 === 1;
}

export function isValidMac(mac: number): boolean {
  return Number.isInteger(mac) && mac >= 0 && mac <= MAX_MAC;
}

export function formatIpv4(ip: number): string {
  return `${ip >>> 24}.${(ip >>> 16) & 0xff}.${(ip >>> 8) & 0xff}.${ip & 0xff}`;
}

/** Strict dotted quad (no leading zeros that could be read as octal, no missing octets); null otherwise. */
export function parseIpv4(text: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text.trim());
  if (!m) return null;
  let ip = 0;
  for (let i = 1; i <= 4; i++) {
    const part = m[i];
    if (part.length > 1 && part[0] === '0') return null;
    const n = Number(part);
    if (n > 255) return null;
    ip = ip * 256 + n;
  }
  return ip;
}
