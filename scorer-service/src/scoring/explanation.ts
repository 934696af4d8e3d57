import type { LdaExplanation } from '../domain/scoring';

function formatProbability(p: number): string {
  return p === 0 ? '0' : p.toExponential(2);
}

/** One or two sentences an analyst can check against the host's usual traffic. */
export function explainScore(explanation: LdaExplanation, floored: boolean): string {
  const { document, word, probability } = explanation;
  if (floored) {
    return `Word ${word} of ${document} matches an event an analyst rated benign; scored as that event now scores (${formatProbability(probability)} before).`;
  }
  if (explanation.unseenDocument) return `${document} was not in the training window, so none of its traffic is explained by a profile (word ${word}).`;
  if (explanation.unseenWord) return `Word ${word} occurs nowhere in the training window: behaviour no host showed.`;
  const usual = explanation.usualWords.map((w) => `${w.word} (${formatProbability(w.probability)})`).join(', ');
  return `P(${word} | ${document}) = ${formatProbability(probability)}; this host's usual words are ${usual}.`;
}
