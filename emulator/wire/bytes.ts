/**
 * Big-endian field access for the wire encoders. MACs are 48-bit numbers: JavaScript's bitwise
 * operators truncate to 32 bits, so the upper 16 bits are split off arithmetically.
 */

const TWO_32 = 0x1_0000_0000;

export function writeMac(view: DataView, offset: number, mac: number): void {
  view.setUint16(offset, Math.floor(mac / TWO_32) & 0xffff);
  view.setUint32(offset + 2, mac % TWO_32);
}

export function readMac(view: DataView, offset: number): number {
  return view.getUint16(offset) * TWO_32 + view.getUint32(offset + 2);
}

/** A DataView over exactly `bytes` (which may itself be a window into a larger buffer). */
export function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function hex(value: number, digits: number): string {
  return '0x' + value.toString(16).padStart(digits, '0');
}

/**
 * UTF-8 for pcapng text options. The emulator builds without DOM or Node typings, so the
 * platform's TextEncoder is not visible here.
 */
export function utf8Encode(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0xfffd;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 0x3f), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
  }
  return Uint8Array.from(out);
}

/** Lenient: a malformed sequence becomes U+FFFD rather than an error, as a viewer should. */
export function utf8Decode(bytes: Uint8Array): string {
  let s = '';
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    let c = 0xfffd;
    let n = 1;
    if (b < 0x80) c = b;
    else if (b >= 0xc2 && b < 0xe0) n = 2;
    else if (b >= 0xe0 && b < 0xf0) n = 3;
    else if (b >= 0xf0 && b < 0xf5) n = 4;
    if (n > 1) {
      let ok = i + n <= bytes.length;
      let v = b & (0xff >> (n + 1));
      for (let k = 1; ok && k < n; k++) {
        const cb = bytes[i + k];
        if ((cb & 0xc0) !== 0x80) ok = false;
        else v = (v << 6) | (cb & 0x3f);
      }
      if (ok) c = v;
      else n = 1;
    }
    s += String.fromCodePoint(c);
    i += n;
  }
  return s;
}
