import { parse } from 'tldts';

/** A host or query name split on the public suffix list. */
export interface DomainParts {
  /** The name, lower-cased, without a trailing dot. */
  name: string;
  /** Registrable domain (`google.co.uk`); null for IP literals and names under no known suffix. */
  registeredDomain: string | null;
  /** The registrable domain without its suffix (`google`), the "domain" of Spot's user-domain rule. */
  label: string | null;
  /** Everything left of the registrable domain (`mail.eu`), '' when there is none. */
  subdomain: string;
}

/**
 * Splits a name with tldts, which embeds the public suffix list (ICANN section only, so `x.blogspot.com` belongs to
 * `blogspot.com`: a per-customer suffix would otherwise hide a tunnel's many names under many "domains").
 * A name with no registrable domain (`localhost`, an IP literal, a bare suffix) keeps the whole name as its
 * subdomain, so its length and entropy still count.
 */
export function splitDomain(rawName: string): DomainParts {
  const name = (rawName.endsWith('.') ? rawName.slice(0, -1) : rawName).toLowerCase();
  const parsed = parse(name, { allowPrivateDomains: false, extractHostname: false });
  if (parsed.domain === null || parsed.isIp) {
    return { name, registeredDomain: null, label: null, subdomain: name };
  }
  return { name, registeredDomain: parsed.domain, label: parsed.domainWithoutSuffix, subdomain: parsed.subdomain ?? '' };
}
