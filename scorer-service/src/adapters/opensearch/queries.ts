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
