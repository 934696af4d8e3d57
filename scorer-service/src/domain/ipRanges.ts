import ipaddr from 'ipaddr.js';

/** Distinct addresses whose `contains` answer an IpRangeSet remembers before it starts over. */
const ANSWERS_KEPT = 65_536;

/**
 * A set of CIDR ranges that answers "is this address inside?", for IPv4 and IPv6 alike. IPv4-mapped IPv6
 * addresses (`::ffff:10.0.0.1`) are read as the IPv4 address they carry, as flow exporters often write them.
 */
export class IpRangeSet {
  private readonly v4: [ipaddr.IPv4, number][] = [];
  private readonly v6: [ipaddr.IPv6, number][] = [];

  /** @param rangeName what a bad range is called in the error (`lateral movement: internal range "x" is not ...`). */
  constructor(cidrs: readonly string[], rangeName = 'invalid IP range') {
    const problems: string[] = [];
    for (const cidr of cidrs) {
      try {
        const [address, bits] = ipaddr.parseCIDR(cidr.trim());
        if (address.kind() === 'ipv4') this.v4.push([address as ipaddr.IPv4, bits]);
        else this.v6.push([address as ipaddr.IPv6, bits]);
      } catch {
        problems.push(`${rangeName} "${cidr}" is not a CIDR range`);
      }
    }
    if (problems.length > 0) throw new RangeError(problems.join('; '));
  }

  /**
   * Answers of `contains` by address text. A window asks about the same few thousand addresses millions of times,
   * and parsing one costs more than the match; bounded, so a window of many distinct addresses cannot grow it.
   */
  private readonly answers = new Map<string, boolean>();

  contains(ip: string): boolean {
    let answer = this.answers.get(ip);
    if (answer === undefined) {
      answer = this.match(ip);
      if (this.answers.size >= ANSWERS_KEPT) this.answers.clear();
      this.answers.set(ip, answer);
    }
    return answer;
  }

  private match(ip: string): boolean {
    const address = parseAddress(ip);
    if (address === undefined) return false;
    if (address.kind() === 'ipv4') return this.v4.some(([range, bits]) => (address as ipaddr.IPv4).match(range, bits));
    return this.v6.some(([range, bits]) => (address as ipaddr.IPv6).match(range, bits));
  }
}

/** Parses an address, unwrapping IPv4-mapped IPv6; undefined when it is not an address at all. */
export function parseAddress(ip: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  const text = ip.trim();
  if (!ipaddr.isValid(text)) return undefined;
  const address = ipaddr.parse(text);
  if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress()) return (address as ipaddr.IPv6).toIPv4Address();
  return address;
}

/** An address as a bigint, so ranges of either family compare with one code path. */
export function addressValue(address: ipaddr.IPv4 | ipaddr.IPv6): bigint {
  let value = 0n;
  for (const byte of address.toByteArray()) value = (value << 8n) | BigInt(byte);
  return value;
}
