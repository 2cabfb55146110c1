/** IPv4 addresses as uint32 numbers (network byte order value). */

export function parseIpv4(text: string): number {
  const parts = text.trim().split('.');
  if (parts.length !== 4) throw new Error(`not an IPv4 address: ${text}`);
  let v = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) throw new Error(`not an IPv4 address: ${text}`);
    const n = Number(p);
    if (n > 255) throw new Error(`not an IPv4 address: ${text}`);
    v = v * 256 + n;
  }
  return v;
}

export function formatIpv4(ip: number): string {
  return `${(ip >>> 24) & 255}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}`;
}

/** Netmask for a prefix length, as uint32. */
export function prefixMask(len: number): number {
  return len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
}

/** Parse `10.0.0.1/24` into address and prefix length. */
export function parseCidr(text: string): { ip: number; prefix: number } {
  const [addr, len] = text.split('/');
  const prefix = len === undefined ? 32 : Number(len);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > 32) throw new Error(`not a prefix length: ${text}`);
  return { ip: parseIpv4(addr), prefix };
}

export function sameSubnet(a: number, b: number, prefix: number): boolean {
  const m = prefixMask(prefix);
  return ((a & m) >>> 0) === ((b & m) >>> 0);
}
