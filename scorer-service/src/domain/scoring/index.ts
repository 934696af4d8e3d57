/** Scoring against a trained LDA model: per-event probabilities, Spot's TOL/MAXRESULTS selection, explanations. */
export { LdaScorer } from './scorer';
export { SuspiciousSelector, selectSuspicious, type Selected, type SelectionOptions } from './selection';
export { LdaExplainer, type LdaExplanation, type WordProbability } from './explain';
export { WordConcentration } from './concentration';
export { ServiceUseMeans, ServiceUses, serviceUseKey, type SideWord } from './serviceUse';
