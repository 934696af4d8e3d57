/** Fusing detectors' scores into one ranking. */
export {
  FUSION_METHODS,
  chiSquareUpperTailEvenDf,
  fuse,
  fusedRanks,
  percentileRanks,
  upperTailLogPValues,
  upperTailPValues,
  type Fused,
  type FusionComponent,
  type FusionMethod,
} from './fusion';
export { isOrdinaryForAutoencoder, scoreEnsemble, type EnsembleInput, type EnsembleScores } from './ensemble';
