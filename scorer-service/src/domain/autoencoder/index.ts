/** The paper's flow autoencoder: features from ECS flows, scaling, the tfjs model, training, scoring and its files. */
export {
  ALL_FEATURES_MASK,
  FLOW_FEATURE_COUNT,
  FLOW_FEATURE_NAMES,
  FLOW_FEATURE_SCHEMA_VERSION,
  featureNamesIn,
  appendFlowFeatures,
  flowFeaturesOf,
  type FlowFeatureName,
  type FlowFeatureResult,
  type FlowFeatureRow,
} from './flowFeatures';
export { FeatureMatrix, commonFeatures, missingFeaturesReason } from './featureMatrix';
export { MinMaxScaler, type MinMaxScalerState } from './scaler';
export { percentile, quantiles } from './threshold';
export { buildAutoencoder, reconstructionError, type AutoencoderShape, type OutputActivation } from './model';
export {
  AUTOENCODER_DEFAULTS,
  REFERENCE_QUANTILES,
  FlowAutoencoder,
  trainFlowAutoencoder,
  type AutoencoderInfo,
  type AutoencoderTrainingOptions,
  type EpochReport,
  type FeatureContribution,
} from './detector';
export {
  AUTOENCODER_FORMAT_VERSION,
  AUTOENCODER_MODEL_FORMAT,
  ModelCompatibilityError,
  WEIGHTS_FILE_NAME,
  autoencoderArtifacts,
  autoencoderFromFiles,
  autoencoderToFiles,
  readAutoencoderMetadata,
  type ModelFiles,
} from './artifacts';
