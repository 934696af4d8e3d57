/** Fusing detectors' scores into one ranking. */
export {
  FUSION_METHODS,
  P_VALUE_COMBINATIONS,
  UpperTailReference,
  chiSquareUpperTailEvenDf,
  combineLogPValues,
  combineSummary,
  conversationKey,
  conversationWeights,
  referenceUnit,
  logChiSquareUpperTailEvenDf,
  fuse,
  fusedRanks,
  percentileRanks,
  upperTailLogPValues,
  upperTailPValues,
  type Fused,
  type FusionComponent,
  type FusionMethod,
  type PValueCombination,
} from './fusion';
export { isOrdinaryForAutoencoder, scoreEnsemble, type EnsembleInput, type EnsembleScores } from './ensemble';
export { BottomKSample, hashKey } from './referenceSample';
export {
  DEFAULT_FUSED_COMPONENTS,
  FUSED_COMPONENTS,
  WindowFusion,
  type EventEvidence,
  type FusedComponent,
  type FusedEvidence,
  type FusionReferences,
  type WindowFusionOptions,
} from './windowFusion';
