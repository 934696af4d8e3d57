import type { DataType } from '../domain/events';
import type { Enricher } from '../enrichment/enricher';
import type { ScoringRuns } from '../adapters/opensearch/modelRegistry';
import { boolQuery, termsClause, type Window } from '../adapters/opensearch/queries';
import type { SuspiciousStore } from '../adapters/opensearch/suspiciousStore';
import { buildSuspiciousDocument } from './suspiciousDocument';

/**
 * Re-enriches the current suspicious events of a window (after a blocklist or network-context change) without
 * re-scoring: the stored document already carries every field enrichment reads, in the same ECS places.
 */
export async function reenrichWindow(
  services: { suspicious: SuspiciousStore; runs: ScoringRuns; enricher: Enricher },
  dataType: DataType,
  window: Window,
): Promise<{ reenriched: number }> {
  const runIds = await services.runs.currentRunIds(dataType, window);
  if (runIds.length === 0) return { reenriched: 0 };
  const page = await services.suspicious.search(dataType, boolQuery({ filter: [termsClause('spothreat.run_id', runIds)] }), [], 0, 10_000);
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
        rawIndex: s.raw.index,
        rawId: s.raw.id,
        event: item.doc as unknown as Record<string, unknown>,
        enrichment: enrichments[i],
        rating: s.rating ? { rating: s.rating, by: s.rated_by ?? '', at: s.rated_at ?? '' } : undefined,
      }),
    };
  });
  await services.suspicious.write(docs);
  return { reenriched: docs.length };
}
