import type { DataType } from '../domain/events';
import type { Enricher } from '../enrichment/enricher';
import type { ScoringRuns } from '../adapters/opensearch/modelRegistry';
import { boolQuery, termsClause, type Window } from '../adapters/opensearch/queries';
import type { SuspiciousStore } from '../adapters/opensearch/suspiciousStore';
import { buildSuspiciousDocument } from './suspiciousDocument';

/** Documents enriched and written per round by default: bounded memory whatever MAXRESULTS is. */
const PAGE_SIZE = 2_000;

export interface ReenrichOptions {
  /** Percent done (0..100), as the workers report job progress. */
  onProgress?: (percent: number) => void;
  /** Documents per round (2,000 by default). */
  pageSize?: number;
}

/**
 * Re-enriches the current suspicious events of a window (after a blocklist, network-context or ASN change) without
 * re-scoring: the stored document already carries every field enrichment reads, in the same ECS places, and every
 * scorer field (score, ranks, fused ranking, autoencoder verdict, heuristic hits) is carried over unchanged.
 * Read page by page with search_after, so windows of more than 10,000 events are re-enriched whole.
 */
export async function reenrichWindow(
  services: { suspicious: SuspiciousStore; runs: ScoringRuns; enricher: Enricher },
  dataType: DataType,
  window: Window,
  { onProgress, pageSize = PAGE_SIZE }: ReenrichOptions = {},
): Promise<{ reenriched: number }> {
  const runIds = await services.runs.currentRunIds(dataType, window);
  if (runIds.length === 0) {
    // Nothing scored in the window yet: the job is done, and says so.
    onProgress?.(100);
    return { reenriched: 0 };
  }
  const query = boolQuery({ filter: [termsClause('spothreat.run_id', runIds)] });
  const total = onProgress ? await services.suspicious.count(dataType, query) : 0;
  let after: unknown[] | undefined;
  let reenriched = 0;
  for (;;) {
    const page = await services.suspicious.searchAfter(dataType, query, [{ _id: 'asc' }], pageSize, after);
    if (page.items.length === 0) break;
    const enrichments = await services.enricher.enrich(
      dataType,
      page.items.map((item) => item.doc),
    );
    const docs = page.items.map((item, i) => {
      const s = item.doc.spothreat;
      return {
        id: item.id,
        doc: buildSuspiciousDocument({
          dataType,
          window: { from: s.window.from, to: s.window.to },
          runId: s.run_id,
          scoredAt: s.scored_at,
          model: s.model,
          rank: s.rank,
          score: s.score,
          words: s.words,
          explanation: s.explanation,
          heuristics: s.heuristics,
          heuristicHits: s.heuristic_hits,
          concentration: s.concentration,
          autoencoder: s.autoencoder,
          fused: s.fused,
          rawIndex: s.raw.index,
          rawId: s.raw.id,
          event: item.doc as unknown as Record<string, unknown>,
          enrichment: enrichments[i],
          rating: s.rating ? { rating: s.rating, by: s.rated_by ?? '', at: s.rated_at ?? '' } : undefined,
        }),
      };
    });
    await services.suspicious.write(docs);
    reenriched += docs.length;
    if (total > 0) onProgress?.(Math.min(100, Math.round((reenriched / total) * 100)));
    if (page.items.length < pageSize) break;
    after = page.last;
  }
  onProgress?.(100);
  return { reenriched };
}
