import type { DataType } from '../domain/events';
import type { ScoringServices } from '../composition';
import type { StoredAllowlistEntry } from '../adapters/opensearch/feedbackStore';
import { allowlistClause, boolQuery, currentRunsClause, THREAT_SORTS, threatFilterClauses, type Query, type ThreatFilters } from '../adapters/opensearch/queries';
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
  const filter = threatFilterClauses(filters, runs);
  const entries = opts.includeSuppressed ? [] : await activeAllowlist(services, dataType);
  const hidden: Query[] = entries.map(({ entry }) => allowlistClause(entryMatch(entry)));
  const page = await services.suspicious.search(dataType, boolQuery({ filter, mustNot: hidden }), THREAT_SORTS[opts.sort] ?? THREAT_SORTS.rank, opts.from, opts.size);
  const suppressed = hidden.length === 0 ? 0 : await services.suspicious.count(dataType, boolQuery({ filter, should: hidden }));
  return { ...page, suppressed };
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
