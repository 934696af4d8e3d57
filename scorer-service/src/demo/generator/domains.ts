import { COUNTRY_HOSTING, PROVIDERS, SITE_PREFIXES, type Provider } from './catalog';
import { hostAddressIn, parseIpv4Range, type Ipv4Range } from './ipv4';
import { Dice, WeightedTable, hashText, mix32, zipfWeights } from './random';

/**
 * The internet's names as the enterprise sees them: which popular sites people visit (Zipf over a ranked
 * top-domain list) and what each name resolves to. Resolution is a pure function of the name, so a site keeps
 * its provider, country and addresses all day, as real sites do.
 */

export interface Resolution {
  provider: Provider;
  /** Answer data in order: a CNAME target first when a CDN fronts the site, then IPv4 addresses. */
  answers: string[];
  ttls: number[];
  /** The addresses alone (what a client then connects to). */
  addresses: string[];
  /** An IPv6 address for AAAA queries, when the provider serves IPv6. */
  ipv6: string | undefined;
}

interface ProviderRanges {
  provider: Provider;
  ranges: Ipv4Range[];
}

const CDN_SUFFIX: Readonly<Record<string, string>> = {
  cloudflare: 'cdn.cloudflare.net',
  akamai: 'edgekey.net',
  fastly: 'map.fastly.net',
  'amazon-cloudfront': 'cloudfront.net',
};

const RESOLUTION_CACHE_LIMIT = 20000;

export class DomainCatalog {
  private readonly popularity: WeightedTable;
  private readonly contentProviders: ProviderRanges[];
  private readonly contentTable: WeightedTable;
  private readonly byName = new Map<string, ProviderRanges>();
  private readonly cache = new Map<string, Resolution>();

  readonly sites: readonly string[];

  constructor(candidates: readonly string[]) {
    // Internationalised names in Unicode form are left out: every line the generator writes is ASCII.
    const sites = candidates.filter((site) => /^[a-z0-9.-]+$/.test(site));
    if (sites.length === 0) throw new RangeError('the domain catalog needs at least one ASCII site name');
    this.sites = sites;
    // Exponent just under 1: the head of the list takes most lookups, the long tail still shows up daily.
    this.popularity = new WeightedTable(zipfWeights(sites.length, 0.95, 2));
    const all = PROVIDERS.map((provider) => ({ provider, ranges: provider.ranges.map(parseIpv4Range) }));
    for (const p of all) this.byName.set(p.provider.name, p);
    this.contentProviders = all.filter((p) => (p.provider.contentShare ?? 0) > 0);
    this.contentTable = new WeightedTable(this.contentProviders.map((p) => p.provider.contentShare ?? 0));
  }

  /** A popular registrable domain, drawn by rank. */
  pickSite(dice: Dice): string {
    return this.sites[this.popularity.draw(dice)];
  }

  /** A host name a browser asks for on a site: the bare domain, `www.` or another common sub-domain. */
  pickHostName(site: string, dice: Dice): string {
    const draw = dice.next();
    if (draw < 0.25) return site;
    return `${SITE_PREFIXES[Math.floor(((draw - 0.25) / 0.75) * SITE_PREFIXES.length)]}.${site}`;
  }

  provider(name: string): Provider {
    const found = this.byName.get(name);
    if (!found) throw new Error(`unknown provider ${name}`);
    return found.provider;
  }

  /** An address of a named provider for a 32-bit draw (a hash or dice). */
  addressOf(providerName: string, draw: number): string {
    const found = this.byName.get(providerName);
    if (!found) throw new Error(`unknown provider ${providerName}`);
    const range = found.ranges[draw % found.ranges.length];
    return hostAddressIn(range, mix32(draw, 0x51ed27));
  }

  /** What the name resolves to; the same name always gives the same answer. */
  resolve(name: string): Resolution {
    const cached = this.cache.get(name);
    if (cached) return cached;
    const resolution = this.computeResolution(name);
    if (this.cache.size >= RESOLUTION_CACHE_LIMIT) this.cache.clear();
    this.cache.set(name, resolution);
    return resolution;
  }

  private providerFor(site: string, siteHash: number): ProviderRanges {
    const tld = site.slice(site.lastIndexOf('.') + 1);
    const local = COUNTRY_HOSTING[tld];
    // Most sites under a country-code domain are hosted in that country; the rest use the global clouds.
    if (local && siteHash % 10 < 7) {
      const found = this.byName.get(local[siteHash % local.length]);
      if (found) return found;
    }
    return this.contentProviders[this.contentTable.at((siteHash >>> 8) / 0x1000000)];
  }

  private computeResolution(name: string): Resolution {
    const site = registrableGuess(name);
    const siteHash = hashText(site);
    const nameHash = mix32(hashText(name), siteHash);
    const { provider, ranges } = this.providerFor(site, siteHash);
    const count = 1 + (nameHash % 4 === 0 ? 3 : nameHash % 3 === 0 ? 1 : 0);
    const addresses: string[] = [];
    for (let i = 0; i < count; i++) {
      const draw = mix32(nameHash, i + 1);
      addresses.push(hostAddressIn(ranges[draw % ranges.length], mix32(draw, siteHash)));
    }
    const answers: string[] = [];
    const ttls: number[] = [];
    const cdn = CDN_SUFFIX[provider.name];
    if (cdn) {
      answers.push(`${site.replace(/\./g, '-')}.${cdn}`);
      ttls.push(300 + (nameHash % 3300));
    }
    const addressTtl = cdn ? 20 + (nameHash % 280) : 60 + (nameHash % 3540);
    for (const address of addresses) {
      answers.push(address);
      ttls.push(addressTtl);
    }
    const ipv6 = provider.ipv6Prefix ? `${provider.ipv6Prefix}::${(nameHash & 0xfff).toString(16)}` : undefined;
    return { provider, answers, ttls, addresses, ipv6 };
  }
}

/**
 * The registrable part of a host name for the sites the catalog serves: the last two labels, or three under a
 * two-letter second level (`bbc.co.uk`). Only used to keep a site's names on one provider, not for scoring.
 */
export function registrableGuess(name: string): string {
  const labels = name.split('.');
  if (labels.length <= 2) return name;
  const second = labels[labels.length - 2];
  const take = second.length <= 3 && labels[labels.length - 1].length === 2 && ['co', 'com', 'org', 'net', 'gov', 'ac', 'ne', 'or'].includes(second) ? 3 : 2;
  return labels.slice(-take).join('.');
}

/** A name that sounds like a product or service: syllables, for generated attacker domains. */
export function pronounceableName(dice: Dice, syllables: number): string {
  const consonants = 'bcdfghklmnprstvz';
  const vowels = 'aeiou';
  let name = '';
  for (let i = 0; i < syllables; i++) name += consonants[dice.nextInt(consonants.length)] + vowels[dice.nextInt(vowels.length)];
  return name;
}
