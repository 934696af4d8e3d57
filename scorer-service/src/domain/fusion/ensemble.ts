import { percentile } from '../autoencoder/threshold';
import { fuse, fusedRanks, type FusionMethod } from './fusion';

/**
 * The ensemble's scores for a window of flows: the autoencoder's error and the LDA's probability of every event
 * fused into one score, one rank and one decision.
 *
 * The LDA must have been fitted on the window's *ordinary* events, those whose autoencoder error is at most
 * the autoencoder's threshold (events it cannot score count as ordinary): trained on every event, LDA learns a
 * flood that makes up most of an IP's traffic as that IP's normal profile. `ldaReference` holds the
 * probabilities of those ordinary events, against which the LDA's p-values are computed.
 */
export interface EnsembleInput {
  /** Reconstruction error per event. */
  autoencoderErrors: ArrayLike<number>;
  /** The autoencoder's benign validation errors or their quantiles (`FlowAutoencoder.referenceErrors`). */
  autoencoderReference: ArrayLike<number>;
  /** P(word | IP) per event (flows: the lower of the two sides), from the LDA fitted on the ordinary events. */
  ldaProbabilities: ArrayLike<number>;
  /** P(word | IP) of the ordinary events. */
  ldaReference: ArrayLike<number>;
  /** Default `fisher`. */
  method?: FusionMethod;
  /** Share of false alarms the operating threshold allows. Default 0.05. */
  alpha?: number;
}

export interface EnsembleScores {
  /** Fused score per event, higher = more suspicious. */
  scores: Float64Array;
  /** Fused p-value per event (`fisher` only). */
  pValues?: Float64Array;
  /** 1 = most suspicious. */
  ranks: Int32Array;
  /** 1 where the event is flagged at the operating threshold. */
  flagged: Uint8Array;
  /** The operating threshold in words. */
  rule: string;
}

/** Whether an event is ordinary for the autoencoder, i.e. may shape the LDA's per-IP profiles. */
export function isOrdinaryForAutoencoder(error: number, threshold: number): boolean {
  return !(error > threshold);
}

export function scoreEnsemble(input: EnsembleInput): EnsembleScores {
  const method = input.method ?? 'fisher';
  const alpha = input.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be within (0, 1), got ${alpha}`);
  const n = input.autoencoderErrors.length;
  if (input.ldaProbabilities.length !== n) throw new RangeError(`${n} autoencoder errors but ${input.ldaProbabilities.length} LDA probabilities`);
  const negate = (values: ArrayLike<number>) => Float64Array.from(values as ArrayLike<number>, (p) => -p);
  const fused = fuse(
    [
      { scores: input.autoencoderErrors, reference: input.autoencoderReference },
      { scores: negate(input.ldaProbabilities), reference: negate(input.ldaReference) },
    ],
    method,
  );
  const flagged = new Uint8Array(n);
  let rule: string;
  if (fused.pValues) {
    for (let i = 0; i < n; i++) flagged[i] = fused.pValues[i] <= alpha ? 1 : 0;
    rule = `Fisher-combined p-value <= ${alpha}`;
  } else {
    const cut = n === 0 ? Infinity : percentile(fused.scores, 100 * (1 - alpha));
    for (let i = 0; i < n; i++) flagged[i] = fused.scores[i] > cut ? 1 : 0;
    rule = `fused ${method} score in the top ${100 * alpha} % of the window`;
  }
  return { scores: fused.scores, pValues: fused.pValues, ranks: fusedRanks(fused.scores), flagged, rule };
}
