import type { DomainClassifier, WordVariant } from './words/types';
import { splitDomain, type DomainParts } from './words/domainNames';

/**
 * The popular-domain list behind the "top domain" word feature (Spot used Alexa's top-1M list, which no longer
 * exists; Tranco, Umbrella or Majestic lists take its place). Built from the list's text so the caller decides
 * where the text comes from.
 */

export interface RejectedListLine {
  line: number;
  text: string;
  reason: string;
}

export interface TopDomainList {
  /** Registrable domains of the list entries (`google.com`, `bbc.co.uk`). */
  registeredDomains: ReadonlySet<string>;
  /** Their first labels (`google`, `bbc`), for Spot's label-only match. */
  labels: ReadonlySet<string>;
  /** Lines that named a domain. */
  entries: number;
  /** How many lines could not be read as a domain. */
  rejectedCount: number;
  /** The first few of them, with the reason, so a wrong file is easy to recognise. */
  rejectedSamples: RejectedListLine[];
}

const MAX_REJECTED_SAMPLES = 10;

/**
 * Reads a list in any of the layouts these lists ship in: one domain per line (Tranco download, Umbrella
 * without ranks), or `rank,domain` (Alexa/Tranco top-1m.csv). Blank lines and `#` comments are skipped; a
 * header line (`rank,domain`) is recognised by its non-numeric first field. Every other line that does not
 * name a registrable domain is counted as rejected with a reason.
 */
export function parseTopDomainList(text: string): TopDomainList {
  const registeredDomains = new Set<string>();
  const labels = new Set<string>();
  let entries = 0;
  let rejectedCount = 0;
  const rejectedSamples: RejectedListLine[] = [];
  const reject = (line: number, lineText: string, reason: string) => {
    rejectedCount++;
    if (rejectedSamples.length < MAX_REJECTED_SAMPLES) rejectedSamples.push({ line, text: lineText, reason });
  };

  let lineNumber = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    lineNumber++;
    const line = text.slice(start, end).trim();
    start = end + 1;
    if (line.length === 0 || line.startsWith('#')) continue;

    const fields = line.split(',');
    if (fields.length > 2) {
      reject(lineNumber, line, 'expected "domain" or "rank,domain"');
      continue;
    }
    if (fields.length === 2 && !/^\d+$/.test(fields[0].trim())) {
      if (lineNumber === 1 || entries === 0) continue; // header
      reject(lineNumber, line, 'rank is not a number');
      continue;
    }
    const parts = splitDomain(fields[fields.length - 1].trim());
    if (parts.registeredDomain === null || parts.label === null) {
      reject(lineNumber, line, 'not a registrable domain under the public suffix list');
      continue;
    }
    entries++;
    registeredDomains.add(parts.registeredDomain);
    labels.add(parts.label);
  }
  return { registeredDomains, labels, entries, rejectedCount, rejectedSamples };
}

export interface DomainClassifierOptions {
  /**
   * `registered-domain` (default) compares registrable domains, so `google.evil` is not `google.com`;
   * `label` compares only the first label as Spot's code did, so `google.co.uk` matches `google.com`.
   */
  matchBy?: 'registered-domain' | 'label';
  /**
   * The user's own domains. An entry with a dot (`it.intel.com`) matches its registrable domain (`intel.com`) and
   * every name under it; an entry without
   * one (`intel`) matches the first label under any suffix, as in Spot's "for it.intel.com the domain is intel".
   */
  userDomains?: readonly string[];
}

/**
 * The classifier each word variant expects: the seed compares registrable domains, Spot's code compared first
 * labels only.
 */
export function domainClassifierFor(
  list: Pick<TopDomainList, 'registeredDomains' | 'labels'>,
  variant: WordVariant,
  userDomains: readonly string[] = [],
): TopDomainClassifier {
  return new TopDomainClassifier(list, { userDomains, matchBy: variant === 'spot-code' ? 'label' : 'registered-domain' });
}

/**
 * Top-domain class of a name: 2 for the user's own domains, 1 for the popular list, 0 otherwise. The user's
 * domains are tested first (as Spot's code does), so an organisation that is itself on the popular list still
 * sees its internal names as its own.
 */
export class TopDomainClassifier implements DomainClassifier {
  private readonly matchByLabel: boolean;
  private readonly userRegistered = new Set<string>();
  private readonly userLabels = new Set<string>();

  constructor(
    private readonly list: Pick<TopDomainList, 'registeredDomains' | 'labels'>,
    options: DomainClassifierOptions = {},
  ) {
    this.matchByLabel = options.matchBy === 'label';
    for (const raw of options.userDomains ?? []) {
      const domain = raw.trim().toLowerCase().replace(/\.$/, '');
      if (domain.length === 0) throw new Error('a user domain is empty');
      if (domain.includes('.')) {
        const parts = splitDomain(domain);
        if (parts.registeredDomain === null) throw new Error(`user domain "${raw}" is not a registrable domain`);
        this.userRegistered.add(parts.registeredDomain);
      } else {
        this.userLabels.add(domain);
      }
    }
  }

  classify(host: string): 0 | 1 | 2 {
    return this.classifyParts(splitDomain(host));
  }

  classifyParts(parts: DomainParts): 0 | 1 | 2 {
    const { registeredDomain, label } = parts;
    if (registeredDomain === null || label === null) return 0;
    if (this.userRegistered.has(registeredDomain) || this.userLabels.has(label)) return 2;
    const onList = this.matchByLabel ? this.list.labels.has(label) : this.list.registeredDomains.has(registeredDomain);
    return onList ? 1 : 0;
  }
}
