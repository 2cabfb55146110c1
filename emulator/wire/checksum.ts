/**
 * The Internet checksum (RFC 1071): the ones' complement of the ones' complement sum of 16-bit
 * big-endian words. IPv4 headers, ICMP, IGMP and UDP all use it.
 */

/** Ones' complement sum of `bytes[start, end)` added to `initial`, folded to 16 bits (not inverted). */
export function onesComplementSum(bytes: Uint8Array, start: number, end: number, initial = 0): number {
  let sum = initial;
  let i = start;
  for (; i + 1 < end; i += 2) sum += (bytes[i] << 8) | bytes[i + 1];
  // An odd trailing byte is summed as if padded with a zero byte.
  if (i < end) sum += bytes[i] << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return sum;
}

/** The checksum to store in a header whose checksum field is zero while summing. */
export function internetChecksum(bytes: Uint8Array, start: number, end: number, initial = 0): number {
  return ~onesComplementSum(bytes, start, end, initial) & 0xffff;
}

/**
 * True when a region that includes its own checksum field sums to 0xFFFF, which is how a receiver
 * verifies it without knowing where the field is.
 */
export function checksumVerifies(bytes: Uint8Array, start: number, end: number, initial = 0): boolean {
  return onesComplementSum(bytes, start, end, initial) === 0xffff;
}
