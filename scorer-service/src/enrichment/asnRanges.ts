import ipaddr from 'ipaddr.js';
import { parseAddress } from '../domain/ipRanges';

/**
 * IP ranges -> autonomous system, kept compact: per address family, sorted range starts and ends in typed arrays,
 * the AS number of each range, and an index into one interned table of organisation names (a few tens of thousands
 * of names for half a million ranges). A lookup is one binary search. IPv4 addresses are one 32-bit word, IPv6
 * addresses four, compared word by word, so no lookup allocates a BigInt.
 */

export interface AutonomousSystem {
  number: number;
  organization?: string;
}

export interface AsnLocator {
  /** The AS announcing the address; undefined for unrouted, private and malformed addresses. */
  lookup(ip: string): AutonomousSystem | undefined;
}

/** The arrays an `AsnRanges` is made of: what a cache stores and reads back. */
export interface AsnRangesData {
  v4Starts: Uint32Array;
  v4Ends: Uint32Array;
  v4Asns: Uint32Array;
  v4Orgs: Uint32Array;
  /** Four words per range, most significant first. */
  v6Starts: Uint32Array;
  v6Ends: Uint32Array;
  v6Asns: Uint32Array;
  v6Orgs: Uint32Array;
  /** Organisation names; index 0 is the empty name (range without one). */
  organizations: string[];
}

export interface AsnRangesStats {
  v4Ranges: number;
  v6Ranges: number;
  organizations: number;
  /** Bytes held by the typed arrays (the organisation strings come on top). */
  arrayBytes: number;
}

const V6_WORDS = 4;

/** The 4 big-endian 32-bit words of an IPv6 address. */
function v6Words(address: ipaddr.IPv6): [number, number, number, number] {
  const p = address.parts;
  return [((p[0] << 16) | p[1]) >>> 0, ((p[2] << 16) | p[3]) >>> 0, ((p[4] << 16) | p[5]) >>> 0, ((p[6] << 16) | p[7]) >>> 0];
}

function v4Value(address: ipaddr.IPv4): number {
  const o = address.octets;
  return ((o[0] << 24) | (o[1] << 16) | (o[2] << 8) | o[3]) >>> 0;
}

/** Compares the address at `offset` of `words` with `key`: <0, 0, >0. */
function compareV6(words: Uint32Array, offset: number, key: readonly number[]): number {
  for (let i = 0; i < V6_WORDS; i++) {
    const diff = words[offset + i] - key[i];
    if (diff !== 0) return diff;
  }
  return 0;
}

export class AsnRanges implements AsnLocator {
  constructor(private readonly data: AsnRangesData) {}

  /** The arrays, for a cache to store. */
  toData(): AsnRangesData {
    return this.data;
  }

  stats(): AsnRangesStats {
    const d = this.data;
    const arrays = [d.v4Starts, d.v4Ends, d.v4Asns, d.v4Orgs, d.v6Starts, d.v6Ends, d.v6Asns, d.v6Orgs];
    return {
      v4Ranges: d.v4Starts.length,
      v6Ranges: d.v6Asns.length,
      organizations: d.organizations.length - 1,
      arrayBytes: arrays.reduce((sum, array) => sum + array.byteLength, 0),
    };
  }

  lookup(ip: string): AutonomousSystem | undefined {
    if (typeof ip !== 'string') return undefined;
    const address = parseAddress(ip);
    if (address === undefined) return undefined;
    const d = this.data;
    let row: number;
    let asn: number;
    let org: number;
    if (address.kind() === 'ipv4') {
      row = this.findV4(v4Value(address as ipaddr.IPv4));
      if (row < 0) return undefined;
      asn = d.v4Asns[row];
      org = d.v4Orgs[row];
    } else {
      row = this.findV6(v6Words(address as ipaddr.IPv6));
      if (row < 0) return undefined;
      asn = d.v6Asns[row];
      org = d.v6Orgs[row];
    }
    // AS 0 is "not routed" (RFC 7607): a range that says so has no AS to report.
    if (asn === 0) return undefined;
    const organization = d.organizations[org];
    return organization ? { number: asn, organization } : { number: asn };
  }

  /** Index of the range holding `value`, or -1: the last start <= value, if its end reaches the value. */
  private findV4(value: number): number {
    const { v4Starts: starts, v4Ends: ends } = this.data;
    let lo = 0;
    let hi = starts.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (starts[mid] <= value) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found >= 0 && ends[found] >= value ? found : -1;
  }

  private findV6(key: readonly number[]): number {
    const { v6Starts: starts, v6Ends: ends } = this.data;
    let lo = 0;
    let hi = starts.length / V6_WORDS - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (compareV6(starts, mid * V6_WORDS, key) <= 0) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found >= 0 && compareV6(ends, found * V6_WORDS, key) >= 0 ? found : -1;
  }
}

/** Where a range came from, for error messages. */
export interface RangeOrigin {
  file: string;
  line: number;
}

export class AsnRangeError extends Error {
  constructor(
    readonly origin: RangeOrigin,
    reason: string,
  ) {
    super(`${origin.file}:${origin.line}: ${reason}`);
    this.name = 'AsnRangeError';
  }
}

/** A family's ranges as they are added, before sorting and packing. */
class FamilyRows {
  readonly starts: number[] = [];
  readonly ends: number[] = [];
  readonly asns: number[] = [];
  readonly orgs: number[] = [];
  sorted = true;

  constructor(readonly words: number) {}

  get length(): number {
    return this.asns.length;
  }

  compareStart(a: number, b: number): number {
    for (let i = 0; i < this.words; i++) {
      const diff = this.starts[a * this.words + i] - this.starts[b * this.words + i];
      if (diff !== 0) return diff;
    }
    return 0;
  }
}

export interface AsnBuildReport {
  /** Ranges that overlapped the one before them; the earlier range was cut short so each address has one AS. */
  overlapsClipped: number;
}

/**
 * Collects ranges in any order (the packaged files are sorted; a user's need not be), then sorts and packs them.
 * Overlapping ranges are cut so that each address belongs to one range: the range that starts later (the more
 * specific one in the data seen so far) wins where they overlap.
 */
export class AsnRangesBuilder {
  private readonly v4 = new FamilyRows(1);
  private readonly v6 = new FamilyRows(V6_WORDS);
  private readonly organizations: string[] = [''];
  private readonly organizationIndex = new Map<string, number>([['', 0]]);

  /** Adds one range given as text, as the CSV holds it; throws AsnRangeError naming the line for a bad row. */
  add(startText: string, endText: string, asnText: string, organization: string, origin: RangeOrigin): void {
    const start = parseRangeAddress(startText, 'start', origin);
    const end = parseRangeAddress(endText, 'end', origin);
    if (start.kind() !== end.kind()) throw new AsnRangeError(origin, `range ${startText} - ${endText} mixes IPv4 and IPv6`);
    if (!/^\d{1,10}$/.test(asnText.trim()) || Number(asnText) > 0xffffffff) {
      throw new AsnRangeError(origin, `"${asnText}" is not an AS number (0 to 4294967295)`);
    }
    const asn = Number(asnText);
    const org = this.intern(organization.trim());
    if (start.kind() === 'ipv4') {
      const s = v4Value(start as ipaddr.IPv4);
      const e = v4Value(end as ipaddr.IPv4);
      if (e < s) throw new AsnRangeError(origin, `range end ${endText} is before its start ${startText}`);
      this.push(this.v4, [s], [e], asn, org);
    } else {
      const s = v6Words(start as ipaddr.IPv6);
      const e = v6Words(end as ipaddr.IPv6);
      if (compareWords(e, s) < 0) throw new AsnRangeError(origin, `range end ${endText} is before its start ${startText}`);
      this.push(this.v6, s, e, asn, org);
    }
  }

  build(): { ranges: AsnRanges; report: AsnBuildReport } {
    const report: AsnBuildReport = { overlapsClipped: 0 };
    const v4 = pack(this.v4, report);
    const v6 = pack(this.v6, report);
    const ranges = new AsnRanges({
      v4Starts: v4.starts,
      v4Ends: v4.ends,
      v4Asns: v4.asns,
      v4Orgs: v4.orgs,
      v6Starts: v6.starts,
      v6Ends: v6.ends,
      v6Asns: v6.asns,
      v6Orgs: v6.orgs,
      organizations: this.organizations,
    });
    return { ranges, report };
  }

  private intern(name: string): number {
    let index = this.organizationIndex.get(name);
    if (index === undefined) {
      index = this.organizations.length;
      this.organizations.push(name);
      this.organizationIndex.set(name, index);
    }
    return index;
  }

  private push(rows: FamilyRows, start: readonly number[], end: readonly number[], asn: number, org: number): void {
    const n = rows.length;
    rows.starts.push(...start);
    rows.ends.push(...end);
    rows.asns.push(asn);
    rows.orgs.push(org);
    if (rows.sorted && n > 0 && rows.compareStart(n - 1, n) > 0) rows.sorted = false;
  }
}

function compareWords(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

function parseRangeAddress(text: string, which: 'start' | 'end', origin: RangeOrigin): ipaddr.IPv4 | ipaddr.IPv6 {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) {
    throw new AsnRangeError(origin, `range ${which} "${trimmed}" is a number; give addresses (the asn-ipv4.csv layout, not asn-ipv4-num.csv)`);
  }
  if (!ipaddr.isValid(trimmed)) throw new AsnRangeError(origin, `range ${which} "${trimmed}" is not an IP address`);
  return ipaddr.parse(trimmed);
}

/** Sorts (when needed) and packs one family into typed arrays, clipping overlaps. */
function pack(rows: FamilyRows, report: AsnBuildReport): { starts: Uint32Array; ends: Uint32Array; asns: Uint32Array; orgs: Uint32Array } {
  const n = rows.length;
  const w = rows.words;
  const order = Array.from({ length: n }, (_, i) => i);
  if (!rows.sorted) order.sort((a, b) => rows.compareStart(a, b));
  const starts = new Uint32Array(n * w);
  const ends = new Uint32Array(n * w);
  const asns = new Uint32Array(n);
  const orgs = new Uint32Array(n);
  order.forEach((from, to) => {
    for (let i = 0; i < w; i++) {
      starts[to * w + i] = rows.starts[from * w + i];
      ends[to * w + i] = rows.ends[from * w + i];
    }
    asns[to] = rows.asns[from];
    orgs[to] = rows.orgs[from];
  });
  for (let i = 1; i < n; i++) {
    const previousEnd = Array.from(ends.subarray((i - 1) * w, i * w));
    const start = Array.from(starts.subarray(i * w, (i + 1) * w));
    if (compareWords(previousEnd, start) >= 0) {
      report.overlapsClipped++;
      ends.set(minusOne(start), (i - 1) * w);
    }
  }
  return { starts, ends, asns, orgs };
}

/** The address just before `words` (words is never all zero here: a range starts after another one). */
function minusOne(words: readonly number[]): number[] {
  const out = [...words];
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i] > 0) {
      out[i] -= 1;
      return out;
    }
    out[i] = 0xffffffff;
  }
  return out;
}
