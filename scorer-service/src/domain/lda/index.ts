/** The topic model: corpus building (pass 1), LDA training, held-out evaluation and model serialisation. */
export { CorpusBuilder, type Corpus } from './corpus';
export { CHAIN_SEED_STRIDE, CHAIN_TOKEN_BUDGET, chainsFor, trainLda, resolveLdaParams, type IterationReport, type TrainOptions } from './train';
export { splitHeldOut, heldOutLikelihood, type HeldOutReport, type HeldOutSplit } from './heldOut';
export {
  LDA_MODEL_FORMAT,
  LDA_MODEL_VERSION,
  SPOT_LDA_PARAMS,
  topicColumns,
  storedLdaParams,
  ldaModelFromJson,
  ldaModelToJson,
  type LdaModel,
  type LdaModelJson,
  type LdaParams,
} from './model';
export { SeededRandom } from './random';
