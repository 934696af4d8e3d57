import { splitDomain } from '../words/domainNames';
import { stringEntropy } from '../words/entropy';
import { CappedSet, resolveOptions, WindowDetector, type DnsHeuristicInput, type Evidence, type HeuristicHit } from './types';

/** Reverse-lookup zones: long, many-valued names there are addresses, not payload. */
function isReverseLookup(registeredDomain: string): boolean {
  return registeredDomain.endsWith('.in-addr.arpa') || registeredDomain.endsWith('.ip6.arpa');
}

function isNxDomain(responseCode: string | undefined): boolean {
  return responseCode === '3' || responseCode?.toUpperCase() === 'NXDOMAIN';
}

export interface TunnellingOptions {
  /** Distinct subdomains one client asks under one registered domain. */
  minDistinctSubdomains: number;
  /** Mean subdomain length (characters): a tunnel packs payload into the name. */
  minMeanLength: number;
  /** Mean subdomain entropy (bits per character): encoded payload looks random. */
  minMeanEntropy: number;
  /** Distinct subdomains remembered per pair. */
  maxTracked: number;
}

export const TUNNELLING_DEFAULTS: Readonly<TunnellingOptions> = Object.freeze({
  minDistinctSubdomains: 50,
  minMeanLength: 24,
  minMeanEntropy: 3.5,
  maxTracked: 4096,
});

export interface TunnellingEvidence extends Evidence {
  queries: number;
  distinctSubdomains: number;
  meanLength: number;
  meanEntropy: number;
  capped: boolean;
}

export function judgeTunnelling(subject: string, e: TunnellingEvidence, o: TunnellingOptions): HeuristicHit<TunnellingEvidence> | undefined {
  if (e.distinctSubdomains < o.minDistinctSubdomains || e.meanLength < o.minMeanLength || e.meanEntropy < o.minMeanEntropy) return undefined;
  return {
    heuristic: 'dns-tunnelling',
    subject,
    reason:
      `${e.distinctSubdomains}${e.capped ? '+' : ''} distinct names under one domain in ${e.queries} queries, ` +
      `subdomains ${e.meanLength.toFixed(0)} characters long on average with ${e.meanEntropy.toFixed(2)} bits of entropy`,
    evidence: e,
  };
}

interface DomainState {
  queries: number;
  subdomains: CappedSet<string>;
  length: number;
  entropy: number;
}

/** One client asking a stream of long, random-looking, never-repeating names under one registered domain. */
export class DnsTunnellingDetector extends WindowDetector<DnsHeuristicInput, DomainState, TunnellingEvidence, TunnellingOptions> {
  constructor(options?: Partial<TunnellingOptions>) {
    super(TUNNELLING_DEFAULTS, options, 'DNS tunnelling');
  }

  protected keyOf(query: DnsHeuristicInput): string | undefined {
    const domain = splitDomain(query.queryName).registeredDomain;
    return domain === null || isReverseLookup(domain) ? undefined : `${query.clientIp} -> ${domain}`;
  }

  protected createState(): DomainState {
    return { queries: 0, subdomains: new CappedSet(this.options.maxTracked), length: 0, entropy: 0 };
  }

  protected update(s: DomainState, query: DnsHeuristicInput): void {
    const subdomain = splitDomain(query.queryName).subdomain;
    s.queries++;
    s.subdomains.add(subdomain);
    s.length += subdomain.length;
    s.entropy += stringEntropy(subdomain);
  }

  protected judge(subject: string, s: DomainState): HeuristicHit<TunnellingEvidence> | undefined {
    const evidence: TunnellingEvidence = {
      queries: s.queries,
      distinctSubdomains: s.subdomains.size,
      meanLength: s.length / s.queries,
      meanEntropy: s.entropy / s.queries,
      capped: s.subdomains.saturated,
    };
    return judgeTunnelling(subject, evidence, this.options);
  }
}

export interface DgaOptions {
  /** NXDOMAIN answers one client gets in the window. */
  minNxResponses: number;
  /** Distinct registered domains among them: a DGA tries many domains, a typo retries one. */
  minDistinctDomains: number;
  /** Distinct domains remembered per client. */
  maxTracked: number;
}

export const DGA_DEFAULTS: Readonly<DgaOptions> = Object.freeze({ minNxResponses: 20, minDistinctDomains: 10, maxTracked: 4096 });

export interface DgaEvidence extends Evidence {
  nxResponses: number;
  distinctDomains: number;
  /** Mean entropy of the registered domain's first label, high for generated names. */
  meanLabelEntropy: number;
  /** Most NXDOMAIN answers within one clock minute. */
  maxPerMinute: number;
  capped: boolean;
}

export function judgeDga(subject: string, e: DgaEvidence, o: DgaOptions): HeuristicHit<DgaEvidence> | undefined {
  if (e.nxResponses < o.minNxResponses || e.distinctDomains < o.minDistinctDomains) return undefined;
  return {
    heuristic: 'dga',
    subject,
    reason:
      `${e.nxResponses} NXDOMAIN answers for ${e.distinctDomains}${e.capped ? '+' : ''} distinct domains ` +
      `(up to ${e.maxPerMinute} a minute; first labels carry ${e.meanLabelEntropy.toFixed(2)} bits of entropy on average)`,
    evidence: e,
  };
}

interface NxState {
  nx: number;
  domains: CappedSet<string>;
  labelEntropy: number;
  minute: number;
  inMinute: number;
  maxPerMinute: number;
}

/** Bursts of NXDOMAIN answers for many different domains: a domain-generation algorithm looking for its server. */
export class DgaDetector extends WindowDetector<DnsHeuristicInput, NxState, DgaEvidence, DgaOptions> {
  constructor(options?: Partial<DgaOptions>) {
    super(DGA_DEFAULTS, options, 'DGA');
  }

  protected keyOf(query: DnsHeuristicInput): string | undefined {
    return isNxDomain(query.responseCode) ? query.clientIp : undefined;
  }

  protected createState(): NxState {
    return { nx: 0, domains: new CappedSet(this.options.maxTracked), labelEntropy: 0, minute: Number.NaN, inMinute: 0, maxPerMinute: 0 };
  }

  protected update(s: NxState, query: DnsHeuristicInput): void {
    const parts = splitDomain(query.queryName);
    s.nx++;
    s.domains.add(parts.registeredDomain ?? parts.name);
    s.labelEntropy += stringEntropy(parts.label ?? parts.name);
    const minute = Math.floor(query.timestamp / 60_000);
    s.inMinute = minute === s.minute ? s.inMinute + 1 : 1;
    s.minute = minute;
    if (s.inMinute > s.maxPerMinute) s.maxPerMinute = s.inMinute;
  }

  protected judge(client: string, s: NxState): HeuristicHit<DgaEvidence> | undefined {
    const evidence: DgaEvidence = {
      nxResponses: s.nx,
      distinctDomains: s.domains.size,
      meanLabelEntropy: s.labelEntropy / s.nx,
      maxPerMinute: s.maxPerMinute,
      capped: s.domains.saturated,
    };
    return judgeDga(client, evidence, this.options);
  }
}

export interface LongRandomSubdomainOptions {
  minLength: number;
  minEntropy: number;
}

export const LONG_RANDOM_SUBDOMAIN_DEFAULTS: Readonly<LongRandomSubdomainOptions> = Object.freeze({ minLength: 40, minEntropy: 4 });

export interface LongRandomSubdomainEvidence extends Evidence {
  subdomainLength: number;
  entropy: number;
}

/** A single query whose subdomain is long and random-looking: payload in the name, judged without a window. */
export function longRandomSubdomain(
  query: DnsHeuristicInput,
  options: LongRandomSubdomainOptions = LONG_RANDOM_SUBDOMAIN_DEFAULTS,
): HeuristicHit<LongRandomSubdomainEvidence> | undefined {
  const parts = splitDomain(query.queryName);
  if (parts.registeredDomain !== null && isReverseLookup(parts.registeredDomain)) return undefined;
  const subdomain = parts.subdomain;
  if (subdomain.length < options.minLength) return undefined;
  const entropy = stringEntropy(subdomain);
  if (entropy < options.minEntropy) return undefined;
  return {
    heuristic: 'long-random-subdomain',
    subject: `${query.clientIp} -> ${parts.name}`,
    reason: `subdomain of ${subdomain.length} characters with ${entropy.toFixed(2)} bits of entropy per character`,
    evidence: { subdomainLength: subdomain.length, entropy },
  };
}
