import ipaddr from 'ipaddr.js';
import { addressValue, parseAddress } from '../domain/ipRanges';

/**
 * Spot's network context: names for internal hosts and networks from a user CSV (`networkcontext_1.csv`).
 * Each line is `<address, CIDR or a-b range>,<name>`; a header line is allowed. When several entries cover an
 * address, the narrowest wins, so `10.1.2.3,mail server` beats `10.0.0.0/8,datacenter`.
 */

interface ContextEntry {
  family: 'ipv4' | 'ipv6';
  first: bigint;
  last: bigint;
  name: string;
}

export class NetworkContext {
  constructor(private readonly entries: readonly ContextEntry[]) {}

  static empty(): NetworkContext {
    return new NetworkContext([]);
  }

  get size(): number {
    return this.entries.length;
  }

  /** The name of the narrowest entry covering the address, if any. */
  nameOf(ip: string): string | undefined {
    const address = parseAddress(ip);
    if (address === undefined) return undefined;
    const family = address.kind();
    const value = addressValue(address);
    let best: ContextEntry | undefined;
    for (const entry of this.entries) {
      if (entry.family !== family || value < entry.first || value > entry.last) continue;
      if (best === undefined || entry.last - entry.first < best.last - best.first) best = entry;
    }
    return best?.name;
  }
}

/** Reads the CSV text; every bad line is reported (with its number) in one error, nothing is skipped silently. */
export function parseNetworkContext(text: string, origin: string): NetworkContext {
  const entries: ContextEntry[] = [];
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((rawLine, index) => {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) return;
    const comma = line.indexOf(',');
    if (comma < 0) {
      problems.push(`line ${index + 1}: expected "<ip, cidr or range>,<name>"`);
      return;
    }
    const where = line.slice(0, comma).trim().replace(/^"|"$/g, '');
    const name = line.slice(comma + 1).trim().replace(/^"|"$/g, '');
    const entry = parseExtent(where);
    if (entry === undefined) {
      // The first line may be a header such as "ip,name".
      if (entries.length === 0 && problems.length === 0 && !/\d/.test(where)) return;
      problems.push(`line ${index + 1}: "${where}" is not an address, CIDR range or a-b range`);
      return;
    }
    if (name === '') {
      problems.push(`line ${index + 1}: the name is empty`);
      return;
    }
    entries.push({ ...entry, name });
  });
  if (problems.length > 0) throw new Error(`network context ${origin}:\n  ${problems.slice(0, 20).join('\n  ')}`);
  return new NetworkContext(entries);
}

function parseExtent(where: string): Omit<ContextEntry, 'name'> | undefined {
  if (where.includes('/')) {
    try {
      const [address, bits] = ipaddr.parseCIDR(where);
      const total = address.kind() === 'ipv4' ? 32 : 128;
      const start = addressValue(address) & ~((1n << BigInt(total - bits)) - 1n);
      return { family: address.kind(), first: start, last: start + (1n << BigInt(total - bits)) - 1n };
    } catch {
      return undefined;
    }
  }
  const dash = where.indexOf('-');
  if (dash > 0) {
    const from = parseAddress(where.slice(0, dash));
    const to = parseAddress(where.slice(dash + 1));
    if (from === undefined || to === undefined || from.kind() !== to.kind()) return undefined;
    const first = addressValue(from);
    const last = addressValue(to);
    return first <= last ? { family: from.kind(), first, last } : undefined;
  }
  const address = parseAddress(where);
  if (address === undefined) return undefined;
  const value = addressValue(address);
  return { family: address.kind(), first: value, last: value };
}
