import { IpRangeSet, parseAddress } from '../domain/ipRanges';
import type { Indicator, ReputationHit, ReputationLevel } from './reputation';

/**
 * The local blocklist: one IP, CIDR range or domain per line, optionally followed by `,level` (1..3, default 3)
 * and `,label`. `#` starts a comment. A domain entry also lists its subdomains. A URL indicator is checked by
 * its host.
 */
export interface BlocklistEntry {
  value: string;
  level: ReputationLevel;
  label: string;
}

export class Blocklist {
  private readonly domains = new Map<string, BlocklistEntry>();
  private readonly ranges: { set: IpRangeSet; entry: BlocklistEntry }[] = [];
  private readonly addresses = new Map<string, BlocklistEntry>();

  constructor(entries: readonly BlocklistEntry[]) {
    for (const entry of entries) {
      const address = parseAddress(entry.value);
      if (address !== undefined) this.addresses.set(address.toNormalizedString(), entry);
      else if (entry.value.includes('/')) this.ranges.push({ set: new IpRangeSet([entry.value]), entry });
      else this.domains.set(entry.value.toLowerCase(), entry);
    }
  }

  get size(): number {
    return this.domains.size + this.ranges.length + this.addresses.size;
  }

  lookup(indicator: Indicator): BlocklistEntry | undefined {
    if (indicator.kind === 'ip') {
      const address = parseAddress(indicator.value);
      if (address === undefined) return undefined;
      return this.addresses.get(address.toNormalizedString()) ?? this.ranges.find((r) => r.set.contains(indicator.value))?.entry;
    }
    const host = indicator.kind === 'url' ? hostOfUrl(indicator.value) : indicator.value;
    if (!host) return undefined;
    const asAddress = parseAddress(host);
    if (asAddress !== undefined) return this.lookup({ kind: 'ip', value: host });
    const labels = host.toLowerCase().replace(/\.$/, '').split('.');
    for (let i = 0; i < labels.length - 1; i += 1) {
      const found = this.domains.get(labels.slice(i).join('.'));
      if (found) return found;
    }
    return undefined;
  }

  hits(provider: string, indicators: readonly Indicator[]): ReputationHit[] {
    const hits: ReputationHit[] = [];
    for (const indicator of indicators) {
      const entry = this.lookup(indicator);
      if (entry) hits.push({ provider, indicator: indicator.value, level: entry.level, label: entry.label });
    }
    return hits;
  }
}

function hostOfUrl(url: string): string | undefined {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `http://${url}`;
  try {
    return new URL(withScheme).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return undefined;
  }
}

/** Reads blocklist text; bad lines are reported together, with their numbers. */
export function parseBlocklist(text: string, origin: string): Blocklist {
  const entries: BlocklistEntry[] = [];
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((rawLine, index) => {
    const line = rawLine.replace(/#.*$/, '').trim();
    if (line === '') return;
    const [value, levelText, ...labelParts] = line.split(',').map((part) => part.trim());
    const level = levelText === undefined || levelText === '' ? 3 : Number(levelText);
    if (![1, 2, 3].includes(level)) {
      problems.push(`line ${index + 1}: level must be 1, 2 or 3, got "${levelText}"`);
      return;
    }
    const isRange = value.includes('/');
    if (isRange) {
      try {
        new IpRangeSet([value]);
      } catch {
        problems.push(`line ${index + 1}: "${value}" is not a CIDR range`);
        return;
      }
    } else if (parseAddress(value) === undefined && !/^[a-z0-9_-]+(\.[a-z0-9_-]+)+\.?$/i.test(value)) {
      problems.push(`line ${index + 1}: "${value}" is neither an IP address nor a domain`);
      return;
    }
    entries.push({ value, level: level as ReputationLevel, label: labelParts.join(',') || 'listed' });
  });
  if (problems.length > 0) throw new Error(`blocklist ${origin}:\n  ${problems.slice(0, 20).join('\n  ')}`);
  return new Blocklist(entries);
}
