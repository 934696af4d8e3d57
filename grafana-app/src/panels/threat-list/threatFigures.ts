import type { Threat } from '../../api/types';

/*
 * The figures the threat list ranks and marks events by. The fused fields are optional in the contract (runs of
 * Spot's LDA ranking, and frames from older documents, carry none), so every reader here falls back to the LDA figures.
 */

export type ThreatSortKey = 'rank' | 'fused' | 'lda' | 'autoencoder' | 'time';

/** Rank in the window's fused ranking, else the rank the run wrote (Spot's, for an LDA-ranked run). */
export function fusedRankOf(threat: Threat): number {
  return threat.fused?.rank ?? threat.rank;
}

/** -log10 of the fused p-value, or undefined for an event that was not ranked by the fusion. */
export function fusedScoreOf(threat: Threat): number | undefined {
  const score = threat.fused?.score;
  return typeof score === 'number' && Number.isFinite(score) ? score : undefined;
}

/** The autoencoder's reconstruction error as a multiple of its threshold: above 1 the flow reconstructs worse than the cut. */
export function autoencoderRatio(threat: Threat): number | undefined {
  const autoencoder = threat.autoencoder;
  if (!autoencoder || !(autoencoder.threshold > 0) || !Number.isFinite(autoencoder.error)) {
    return undefined;
  }
  return autoencoder.error / autoencoder.threshold;
}

const missingLast = (a: number | undefined, b: number | undefined, order: (a: number, b: number) => number): number =>
  a === undefined ? (b === undefined ? 0 : 1) : b === undefined ? -1 : order(a, b);
const ascending = (a: number, b: number) => a - b;
const descending = (a: number, b: number) => b - a;

/** Each figure sorts the most suspicious first (low rank, high fused score, low P(word|IP), high error); time reads in order. */
const ORDERS: Record<ThreatSortKey, (a: Threat, b: Threat) => number> = {
  rank: (a, b) => fusedRankOf(a) - fusedRankOf(b) || missingLast(fusedScoreOf(a), fusedScoreOf(b), descending) || a.score - b.score,
  fused: (a, b) => missingLast(fusedScoreOf(a), fusedScoreOf(b), descending) || fusedRankOf(a) - fusedRankOf(b),
  lda: (a, b) => a.score - b.score || fusedRankOf(a) - fusedRankOf(b),
  autoencoder: (a, b) => missingLast(autoencoderRatio(a), autoencoderRatio(b), descending) || fusedRankOf(a) - fusedRankOf(b),
  time: (a, b) => missingLast(timeOf(a), timeOf(b), ascending) || fusedRankOf(a) - fusedRankOf(b),
};

function timeOf(threat: Threat): number | undefined {
  const time = Date.parse(threat.timestamp);
  return Number.isNaN(time) ? undefined : time;
}

/** A sorted copy; ties keep the order the API answered in (Array.prototype.sort is stable). */
export function sortThreats(threats: readonly Threat[], key: ThreatSortKey): Threat[] {
  return [...threats].sort(ORDERS[key]);
}

/** `log_source_bytes` reads `source bytes`: the explanation already gives log features back in their own units. */
export function featureLabel(feature: string): string {
  return feature.replace(/^log_/, '').replace(/_/g, ' ');
}

/** A figure short enough for a cell: integers whole, fractions to three significant digits. */
export function formatFigure(value: number | string | boolean): string {
  if (typeof value !== 'number') {
    return String(value);
  }
  if (!Number.isFinite(value)) {
    return String(value);
  }
  if (Number.isInteger(value)) {
    return value.toLocaleString('en-US');
  }
  const magnitude = Math.abs(value);
  if (magnitude >= 1e4 || magnitude < 1e-3) {
    return value.toExponential(2);
  }
  return String(Number(value.toPrecision(3)));
}

/** `meanIntervalSeconds` reads `mean interval seconds`. */
export function evidenceLabel(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase();
}
