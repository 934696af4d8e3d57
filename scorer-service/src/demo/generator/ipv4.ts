/** IPv4 addresses as unsigned 32-bit numbers: the generator draws addresses from ranges millions of times. */

export interface Ipv4Range {
  /** The range as written, `142.250.0.0/15`. */
  cidr: string;
  /** First address as an unsigned 32-bit number. */
  first: number;
  /** Number of addresses in the range. */
  size: number;
}

export function ipv4ToNumber(text: string): number {
  const parts = text.split('.');
  if (parts.length !== 4) throw new RangeError(`"${text}" is not an IPv4 address`);
  let value = 0;
  for (const part of parts) {
    const octet = Number(part);
    if (!/^\d{1,3}$/.test(part) || octet > 255) throw new RangeError(`"${text}" is not an IPv4 address`);
    value = value * 256 + octet;
  }
  return value;
}

export function numberToIpv4(value: number): string {
  return `${value >>> 24}.${(value >>> 16) & 255}.${(value >>> 8) & 255}.${value & 255}`;
}

export function parseIpv4Range(cidr: string): Ipv4Range {
  const [address, bitsText] = cidr.split('/');
  const bits = Number(bitsText);
  if (!Number.isInteger(bits) || bits < 8 || bits > 32) throw new RangeError(`"${cidr}" is not an IPv4 CIDR range (prefix /8 to /32)`);
  const size = 2 ** (32 - bits);
  const first = ipv4ToNumber(address);
  if (first % size !== 0) throw new RangeError(`"${cidr}" has host bits set`);
  return { cidr, first, size };
}

/**
 * A usable host address inside a range for a 32-bit draw: avoids the first and last address of every /24 inside
 * it (network and broadcast addresses in most real subnetting), so generated peers look like hosts.
 */
export function hostAddressIn(range: Ipv4Range, draw: number): string {
  if (range.size <= 4) return numberToIpv4(range.first + (draw % range.size));
  let offset = draw % range.size;
  const lastOctet = (range.first + offset) & 255;
  if (lastOctet === 0) offset += 1;
  else if (lastOctet === 255) offset -= 1;
  return numberToIpv4(range.first + offset);
}

/** The reverse-lookup name of an address (`15.3.10.10.in-addr.arpa`), for PTR queries. */
export function reverseName(ip: string): string {
  return `${ip.split('.').reverse().join('.')}.in-addr.arpa`;
}

/** True for addresses that must never stand for an external peer (RFC 1918, loopback, link-local, CGNAT, multicast). */
export function isNonPublicIpv4(value: number): boolean {
  const a = value >>> 24;
  const b = (value >>> 16) & 255;
  return (
    a === 10 ||
    a === 127 ||
    a === 0 ||
    a >= 224 ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 169 && b === 254) ||
    (a === 100 && b >= 64 && b <= 127)
  );
}
