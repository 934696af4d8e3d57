import { gunzipSync, gzipSync } from 'node:zlib';
import type { DataType } from '../domain/events';
import type { HeuristicHit } from '../domain/heuristics';
import type { Window } from '../adapters/opensearch/queries';

/**
 * What the fused ranking needs to know of a whole window before it can rank any of its events: the heuristics'
 * verdicts per key (a port scan is judged on all of its source's flows), the component values of the window's
 * reference sample (the p-values' references) and the window's document frequencies (the concentration). The
 * process that reads the whole window (a train job, pass 1) takes it once; scale-out parts, and a later scoring of
 * the same window with the same model, read only pass 2 with it. It is stored beside the model version in the
 * registry, under the window's name.
 */

export const WINDOW_STATE_FORMAT = 'spothreat-window-state';
// 2: the reference events' units (conversations) and autoencoder errors, so the references count units.
// 3: the service uses' mean concentrations (flows), which pass 2 lifts a flow's concentration to.
export const WINDOW_STATE_VERSION = 3;

export interface ReferenceValues {
  lda: number[];
  concentration: number[];
  heuristics: number[];
  /** The unit each reference event counts in (`referenceUnit`: its heuristic finding, else its conversation). */
  conversations: string[];
  /** Flows with an autoencoder: its error of each reference event, NaN where it cannot score one. */
  autoencoder?: number[];
}

export interface WindowFrequencies {
  words: readonly string[];
  documentFrequency: ArrayLike<number>;
  documents: number;
}

export interface WindowStateData {
  dataType: DataType;
  window: Window;
  /** Events the window held when the state was taken: a window that has changed since must be observed again. */
  events: number;
  /** Detector name (a field of the data type's heuristics) -> its verdicts by key. */
  heuristics: Record<string, [string, HeuristicHit][]>;
  reference: ReferenceValues;
  frequencies: WindowFrequencies;
  /** Flows: each service use of more than one word pair -> its mean concentration (`ServiceUseMeans`); empty for DNS and proxy. */
  serviceUses: [string, number][];
}

/** The registry name of a window's state beside the model version it was taken with. */
export function windowStateName(window: Window): string {
  return `window-${window.from}-${window.to}`;
}

// JSON has no Infinity or NaN; a heuristic's evidence or a reference value may hold one.
const NON_FINITE = '$nonFinite';

function replacer(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? { [NON_FINITE]: String(value) } : value;
}

function reviver(_key: string, value: unknown): unknown {
  if (value !== null && typeof value === 'object' && NON_FINITE in value) return Number((value as Record<string, string>)[NON_FINITE]);
  return value;
}

export function encodeWindowState(state: WindowStateData): Buffer {
  const frequencies = { ...state.frequencies, documentFrequency: Array.from(state.frequencies.documentFrequency) };
  return gzipSync(Buffer.from(JSON.stringify({ format: WINDOW_STATE_FORMAT, version: WINDOW_STATE_VERSION, ...state, frequencies }, replacer), 'utf8'));
}

/** A stored state of another format or version (an older build's): the window must be observed again. */
export class WindowStateVersionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WindowStateVersionError';
  }
}

export function decodeWindowState(stored: Buffer, what: string): WindowStateData {
  const parsed = JSON.parse(gunzipSync(stored).toString('utf8'), reviver) as Partial<WindowStateData> & { format?: string; version?: number };
  if (parsed.format !== WINDOW_STATE_FORMAT || parsed.version !== WINDOW_STATE_VERSION) {
    throw new WindowStateVersionError(`${what} is ${String(parsed.format)} v${String(parsed.version)}; this build reads ${WINDOW_STATE_FORMAT} v${WINDOW_STATE_VERSION}: score the window again with model "train"`);
  }
  const { reference, frequencies, heuristics, serviceUses } = parsed;
  const sizes = reference
    ? [reference.lda?.length, reference.concentration?.length, reference.heuristics?.length, reference.conversations?.length, ...(reference.autoencoder ? [reference.autoencoder.length] : [])]
    : [];
  if (!reference || new Set(sizes).size !== 1 || sizes[0] === undefined) throw new Error(`${what} has no consistent reference sample`);
  if (!frequencies || frequencies.words.length !== frequencies.documentFrequency.length) throw new Error(`${what} has inconsistent document frequencies`);
  if (!heuristics || typeof parsed.events !== 'number' || !parsed.window || !parsed.dataType) throw new Error(`${what} is incomplete`);
  if (!Array.isArray(serviceUses) || !serviceUses.every((e) => Array.isArray(e) && typeof e[0] === 'string' && typeof e[1] === 'number')) {
    throw new Error(`${what} has no valid service-use concentrations`);
  }
  return { dataType: parsed.dataType, window: parsed.window, events: parsed.events, heuristics, reference, frequencies, serviceUses };
}
