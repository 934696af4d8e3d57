/**
 * OpenSearch queries as DSL objects, built from typed values by pure functions (never by string concatenation,
 * so user input can only ever be a term value). Unit-tested without a cluster.
 */

/** A half-open time range [from, to), ISO-8601 UTC. */
export interface Window {
  from: string;
  to: string;
}

export type Query = Record<string, unknown>;

/** Stable key of a window, used in ids and to find the run that scored it. */
export function windowKey(window: Window): string {
  return `${window.from}/${window.to}`;
}

export function rangeClause(field: string, window: Window): Query {
  return { range: { [field]: { gte: window.from, lt: window.to, format: 'strict_date_optional_time' } } };
}

/** Every event of the window, with the field mapping's extra filter when there is one. */
export function windowQuery(timeField: string, window: Window, extraFilter?: Query): Query {
  const filter: Query[] = [rangeClause(timeField, window)];
  if (extraFilter) filter.push(extraFilter);
  return { bool: { filter } };
}

export function termClause(field: string, value: string | number | boolean): Query {
  return { term: { [field]: value } };
}

export function termsClause(field: string, values: readonly (string | number)[]): Query {
  return { terms: { [field]: [...values] } };
}

/** Any of the fields equals the value. */
export function anyFieldEquals(fields: readonly string[], value: string | number): Query {
  return { bool: { should: fields.map((field) => termClause(field, value)), minimum_should_match: 1 } };
}

/** Escapes the wildcard metacharacters so a user's text is matched literally. */
export function escapeWildcard(text: string): string {
  return text.replace(/[\\*?]/g, (c) => `\\${c}`);
}

/** Case-insensitive substring match on any of the keyword fields. */
export function anyFieldContains(fields: readonly string[], text: string): Query {
  const value = `*${escapeWildcard(text)}*`;
  return {
    bool: {
      should: fields.map((field) => ({ wildcard: { [field]: { value, case_insensitive: true } } })),
      minimum_should_match: 1,
    },
  };
}

/** The name and every subdomain of it, case-insensitive, on a keyword field. */
export function domainOrSubdomain(field: string, domain: string): Query {
  const name = domain.toLowerCase().replace(/\.$/, '');
  return {
    bool: {
      should: [
        { term: { [field]: { value: name, case_insensitive: true } } },
        { wildcard: { [field]: { value: `*.${escapeWildcard(name)}`, case_insensitive: true } } },
      ],
      minimum_should_match: 1,
    },
  };
}

export function boolQuery(parts: { filter?: Query[]; mustNot?: Query[]; should?: Query[] }): Query {
  const bool: Record<string, unknown> = {};
  if (parts.filter && parts.filter.length > 0) bool.filter = parts.filter;
  if (parts.mustNot && parts.mustNot.length > 0) bool.must_not = parts.mustNot;
  if (parts.should && parts.should.length > 0) {
    bool.should = parts.should;
    bool.minimum_should_match = 1;
  }
  return { bool };
}

/** The hit count of a search response, whichever form `hits.total` takes. */
export function totalHits(hits: { total?: number | { value: number } }): number {
  return typeof hits.total === 'number' ? hits.total : (hits.total?.value ?? 0);
}

// ---------------------------------------------------------------------------------------------------------------
// Suspicious-event queries (the API's threat list, network view, geo map)
// ---------------------------------------------------------------------------------------------------------------

export interface ThreatFilters {
  from: string;
  to: string;
  ip?: string;
  port?: number;
  domain?: string;
  minScore?: number;
  maxScore?: number;
  severity?: number[];
  rated?: boolean;
  tag?: string;
  minReputation?: number;
}

/** Fields where a domain filter looks: the DNS query name, the proxy URL and its host. */
const DOMAIN_FIELDS = ['dns.question.name', 'url.original', 'url.domain'];

/** The current (latest completed) run of one scoring window. */
export interface CurrentRun {
  id: string;
  window: Window;
  completedAt: string;
}

function completedLater(a: CurrentRun, b: CurrentRun): boolean {
  return a.completedAt > b.completedAt || (a.completedAt === b.completedAt && a.id > b.id);
}

/**
 * The documents the threat list shows: those of the windows' current runs, and where windows overlap (an hour and
 * its day both scored), an event is shown from the run that completed last and hidden from the earlier ones, so
 * no event is listed twice. Windows that overlap nothing (the common case) need only one terms clause.
 */
export function currentRunsClause(runs: readonly CurrentRun[]): Query {
  const byStart = [...runs].sort((a, b) => a.window.from.localeCompare(b.window.from));
  const alone: string[] = [];
  const clauses: Query[] = [];
  // Sweep the windows by start into groups that overlap one another; only inside a group can a run hide events.
  for (let start = 0; start < byStart.length; ) {
    let end = start + 1;
    let reach = byStart[start].window.to;
    while (end < byStart.length && byStart[end].window.from < reach) {
      if (byStart[end].window.to > reach) reach = byStart[end].window.to;
      end += 1;
    }
    const group = byStart.slice(start, end);
    for (const run of group) {
      const later = group.filter((other) => other !== run && completedLater(other, run) && other.window.from < run.window.to && other.window.to > run.window.from);
      if (later.length === 0) alone.push(run.id);
      else clauses.push(boolQuery({ filter: [termClause('spothreat.run_id', run.id)], mustNot: later.map((other) => rangeClause('@timestamp', other.window)) }));
    }
    start = end;
  }
  if (clauses.length === 0) return termsClause('spothreat.run_id', alone);
  return boolQuery({ should: alone.length > 0 ? [termsClause('spothreat.run_id', alone), ...clauses] : clauses });
}

/** The filter clauses of a threat query, limited to what the windows' current runs show (`currentRunsClause`). */
export function threatFilterClauses(filters: ThreatFilters, currentRuns: readonly CurrentRun[]): Query[] {
  const clauses: Query[] = [currentRunsClause(currentRuns), rangeClause('@timestamp', filters)];
  if (filters.ip !== undefined) clauses.push(anyFieldEquals(['source.ip', 'destination.ip'], filters.ip));
  if (filters.port !== undefined) clauses.push(anyFieldEquals(['source.port', 'destination.port'], filters.port));
  if (filters.domain !== undefined) clauses.push(anyFieldContains(DOMAIN_FIELDS, filters.domain));
  if (filters.minScore !== undefined || filters.maxScore !== undefined) {
    clauses.push({ range: { 'spothreat.score': { ...(filters.minScore !== undefined ? { gte: filters.minScore } : {}), ...(filters.maxScore !== undefined ? { lte: filters.maxScore } : {}) } } });
  }
  if (filters.severity !== undefined) clauses.push(termsClause('spothreat.rating', filters.severity));
  if (filters.rated === true) clauses.push({ exists: { field: 'spothreat.rating' } });
  if (filters.rated === false) clauses.push(boolQuery({ mustNot: [{ exists: { field: 'spothreat.rating' } }] }));
  if (filters.tag !== undefined) clauses.push(termClause('spothreat.heuristics', filters.tag));
  if (filters.minReputation !== undefined) clauses.push({ range: { 'spothreat.reputation.level': { gte: filters.minReputation } } });
  return clauses;
}

export interface AllowlistMatch {
  srcIp?: string;
  dstIp?: string;
  srcPort?: number;
  dstPort?: number;
  domain?: string;
}

/** The suspicious documents an allowlist entry matches: every given field must match. */
export function allowlistClause(match: AllowlistMatch): Query {
  const filter: Query[] = [];
  if (match.srcIp !== undefined) filter.push(termClause('source.ip', match.srcIp));
  if (match.dstIp !== undefined) filter.push(termClause('destination.ip', match.dstIp));
  if (match.srcPort !== undefined) filter.push(termClause('source.port', match.srcPort));
  if (match.dstPort !== undefined) filter.push(termClause('destination.port', match.dstPort));
  if (match.domain !== undefined) {
    filter.push(boolQuery({ should: ['dns.question.name', 'url.domain', 'destination.domain'].map((field) => domainOrSubdomain(field, match.domain!)) }));
  }
  return boolQuery({ filter });
}

export const THREAT_SORTS: Record<string, unknown[]> = {
  rank: [{ 'spothreat.rank': 'asc' }, { 'spothreat.score': 'asc' }, { '@timestamp': 'asc' }],
  // Runs of Spot's ranking carry no fused score: they come after the fused ones, in their own rank order.
  fused: [{ 'spothreat.fused.score': { order: 'desc', missing: '_last', unmapped_type: 'double' } }, { 'spothreat.rank': 'asc' }, { '@timestamp': 'asc' }],
  score: [{ 'spothreat.score': 'asc' }, { '@timestamp': 'asc' }],
  '-score': [{ 'spothreat.score': 'desc' }, { '@timestamp': 'asc' }],
  timestamp: [{ '@timestamp': 'asc' }, { 'spothreat.score': 'asc' }],
  '-timestamp': [{ '@timestamp': 'desc' }, { 'spothreat.score': 'asc' }],
};
