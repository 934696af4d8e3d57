import type { DataType } from '../domain/events';
import type { ScoringServices } from '../composition';
import type { StoredAllowlistEntry } from '../adapters/opensearch/feedbackStore';
import { allowlistClause, boolQuery, currentRunsClause, THREAT_SORTS, threatFilterClauses, type CurrentRun, type Query, type ThreatFilters } from '../adapters/opensearch/queries';
import type { StoredSuspicious } from '../adapters/opensearch/suspiciousStore';

/**
 * The threat list as analysts see it: the current run of every window in the range, the filters, and the active
 * allowlist entries applied at read time (so an entry hides its events at once, without re-scoring).
 */

export const ALL_TIME = { from: '1970-01-01T00:00:00.000Z', to: '9999-12-31T00:00:00.000Z' };

export interface ActiveEntry {
  id: string;
  entry: StoredAllowlistEntry;
}

export function entryMatch(entry: StoredAllowlistEntry) {
  return {
    srcIp: entry.match.src_ip,
    dstIp: entry.match.dst_ip,
    srcPort: entry.match.src_port,
    dstPort: entry.match.dst_port,
    domain: entry.match.domain,
  };
}

export async function activeAllowlist(services: ScoringServices, dataType: DataType): Promise<ActiveEntry[]> {
  const { items } = await services.feedback.listAllowlist(new Date().toISOString());
  return items.filter(({ entry }) => entry.data_type === undefined || entry.data_type === dataType);
}

export interface ThreatSearch {
  items: StoredSuspicious[];
  total: number;
  suppressed: number;
}

export async function findThreats(
  services: ScoringServices,
  dataType: DataType,
  filters: ThreatFilters,
  opts: { sort: string; from: number; size: number; includeSuppressed: boolean },
): Promise<ThreatSearch> {
  const runs = await services.runs.currentRuns(dataType, filters);
  if (runs.length === 0) return { items: [], total: 0, suppressed: 0 };
  const { filter, hidden } = await threatQueryParts(services, dataType, filters, runs, opts.includeSuppressed);
  const page = await services.suspicious.search(dataType, boolQuery({ filter, mustNot: hidden }), threatSort(opts.sort), opts.from, opts.size);
  const suppressed = hidden.length === 0 ? 0 : await services.suspicious.count(dataType, boolQuery({ filter, should: hidden }));
  return { ...page, suppressed };
}

/**
 * The list's order with the document id last: events equal on every sort key (the same score and time, common
 * with `sort=score`) keep one order, so pages neither repeat nor skip them.
 */
function threatSort(name: string): unknown[] {
  return [...(THREAT_SORTS[name] ?? THREAT_SORTS.rank), { _id: 'asc' }];
}

async function threatQueryParts(services: ScoringServices, dataType: DataType, filters: ThreatFilters, runs: CurrentRun[], includeSuppressed: boolean) {
  const filter = threatFilterClauses(filters, runs);
  const entries = includeSuppressed ? [] : await activeAllowlist(services, dataType);
  const hidden: Query[] = entries.map(({ entry }) => allowlistClause(entryMatch(entry)));
  return { filter, hidden };
}

/**
 * The threat list for an export: pages of `pageSize` in the list's order, read with search_after up to `limit`
 * events, so the caller can write each page out before the next is read.
 */
export async function* threatPages(
  services: ScoringServices,
  dataType: DataType,
  filters: ThreatFilters,
  opts: { sort: string; limit: number; pageSize: number; includeSuppressed: boolean },
): AsyncGenerator<StoredSuspicious[]> {
  const runs = await services.runs.currentRuns(dataType, filters);
  if (runs.length === 0) return;
  const { filter, hidden } = await threatQueryParts(services, dataType, filters, runs, opts.includeSuppressed);
  const query = boolQuery({ filter, mustNot: hidden });
  const sort = threatSort(opts.sort);
  let after: unknown[] | undefined;
  for (let left = opts.limit; left > 0; ) {
    const page = await services.suspicious.searchAfter(dataType, query, sort, Math.min(opts.pageSize, left), after);
    if (page.items.length === 0) return;
    yield page.items;
    left -= page.items.length;
    after = page.last;
  }
}

/** How many current suspicious events an entry hides now, over every data type it applies to. */
export async function suppressedBy(services: ScoringServices, entry: StoredAllowlistEntry): Promise<number> {
  const types: DataType[] = entry.data_type ? [entry.data_type] : ['flow', 'dns', 'proxy'];
  let total = 0;
  for (const dataType of types) {
    const runs = await services.runs.currentRuns(dataType, ALL_TIME);
    if (runs.length === 0) continue;
    total += await services.suspicious.count(dataType, boolQuery({ filter: [currentRunsClause(runs), allowlistClause(entryMatch(entry))] }));
  }
  return total;
}
