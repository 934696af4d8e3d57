/** The unsupervised Isolation-Forest baseline. */
export {
  ISOLATION_FOREST_FORMAT,
  ISOLATION_FOREST_VERSION,
  IsolationForest,
  averagePathLength,
  type IsolationForestJson,
  type IsolationForestOptions,
} from './isolationForest';
