import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

/**
 * Which tfjs backend runs the autoencoder. `auto` takes the native TensorFlow binding when
 * `@tensorflow/tfjs-node` is installed (it cannot be on every machine: its install downloads a native library),
 * otherwise WebAssembly (its .wasm files ship in the npm package; ~30x faster than the plain JS backend on our
 * matrix sizes), and the plain CPU backend when WebAssembly fails to start.
 */
export type TfBackendPreference = 'auto' | 'tensorflow' | 'wasm' | 'cpu';
export const TF_BACKEND_PREFERENCES: readonly TfBackendPreference[] = ['auto', 'tensorflow', 'wasm', 'cpu'];

let selected: Promise<string> | undefined;
let selectedFor: TfBackendPreference | undefined;

function loadNativeBinding(): boolean {
  try {
    // Optional accelerator: present only where its native install succeeded; registers the `tensorflow` backend.
    require('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
}

async function trySetBackend(name: string): Promise<boolean> {
  try {
    return (await tf.setBackend(name)) && tf.getBackend() === name;
  } catch {
    return false;
  }
}

async function select(preference: TfBackendPreference): Promise<string> {
  if (preference === 'tensorflow' || preference === 'auto') {
    if (loadNativeBinding() && (await trySetBackend('tensorflow'))) return 'tensorflow';
    if (preference === 'tensorflow') throw new Error('the tensorflow backend needs @tensorflow/tfjs-node, which is not installed or failed to load');
  }
  if (preference === 'wasm' || preference === 'auto') {
    if (await trySetBackend('wasm')) return 'wasm';
    if (preference === 'wasm') throw new Error('the tfjs wasm backend failed to start');
  }
  if (await trySetBackend('cpu')) return 'cpu';
  throw new Error('no tfjs backend could start (tried tensorflow, wasm, cpu)');
}

/**
 * Selects the backend once per process and returns its name; later calls with the same preference reuse it.
 * Selecting another preference later switches backends (tensors made before the switch must be gone).
 */
export function useTfBackend(preference: TfBackendPreference = 'auto'): Promise<string> {
  if (!TF_BACKEND_PREFERENCES.includes(preference)) {
    return Promise.reject(new Error(`unknown tfjs backend "${preference}"; choose one of ${TF_BACKEND_PREFERENCES.join(', ')}`));
  }
  if (selected === undefined || selectedFor !== preference) {
    selectedFor = preference;
    selected = select(preference);
  }
  return selected;
}
