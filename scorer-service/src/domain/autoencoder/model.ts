import * as tf from '@tensorflow/tfjs';

export type OutputActivation = 'tanh' | 'linear';

export interface AutoencoderShape {
  /** Input and output width (the paper: 18). */
  inputDim: number;
  /** Width of the code layer (the paper: 12). */
  latentDim: number;
  /**
   * Activation of the output layer. The paper names tanh for the code layer because its inputs are zero-centred
   * in [-1, 1]; the same range argument holds for the reconstruction, so tanh is the default.
   */
  outputActivation: OutputActivation;
  /** Seed of the Glorot-uniform initial weights, so a training run is reproducible. */
  seed: number;
}

/** The paper's autoencoder: input -> dense(latent, tanh) -> dense(input, outputActivation). Pure factory. */
export function buildAutoencoder(shape: AutoencoderShape): tf.Sequential {
  const { inputDim, latentDim, outputActivation, seed } = shape;
  if (!Number.isInteger(inputDim) || inputDim < 1) throw new RangeError(`inputDim must be an integer >= 1, got ${inputDim}`);
  if (!Number.isInteger(latentDim) || latentDim < 1) throw new RangeError(`latentDim must be an integer >= 1, got ${latentDim}`);
  const model = tf.sequential({ name: 'flow_autoencoder' });
  model.add(
    tf.layers.dense({
      name: 'encoder',
      inputShape: [inputDim],
      units: latentDim,
      activation: 'tanh',
      kernelInitializer: tf.initializers.glorotUniform({ seed }),
    }),
  );
  model.add(
    tf.layers.dense({
      name: 'decoder',
      units: inputDim,
      activation: outputActivation,
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }),
    }),
  );
  return model;
}

/**
 * Per-row reconstruction error: the mean of the squared differences over the features the model uses
 * (`weights` holds 1 / usedCount for a used feature and 0 for an unused one). Call inside tf.tidy.
 */
export function reconstructionError(input: tf.Tensor2D, output: tf.Tensor2D, weights: tf.Tensor1D): tf.Tensor1D {
  return tf.sum(tf.mul(tf.squaredDifference(input, output), weights), 1) as tf.Tensor1D;
}
