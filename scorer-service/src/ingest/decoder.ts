import type { DataType, RawEvent } from '../domain/events';

/**
 * One record read from an input: either a document to index or a rejection with its reason.
 * Every record a decoder reads yields exactly one result, so `read = indexed + duplicates + rejected`
 * can be checked downstream. Header and comment lines are not records and yield nothing.
 */
export type DecodeResult =
  | { ok: true; record: number; doc: RawEvent }
  | { ok: false; record: number; reason: string; raw: string };

export interface DecodeContext {
  /** The file as named by the user (goes into provenance and rejections). */
  file: string;
  /** Progress callback: bytes of the input consumed so far. */
  onBytes?: (bytesRead: number) => void;
}

export interface Decoder {
  /** Format name as given to `--format`. */
  readonly format: string;
  /** Data types the format can carry; a decoder of several (zeek) picks by the log's own header. */
  readonly dataTypes: readonly DataType[];
  /** Streams the file's records with bounded memory. Fails (throws) only for an unreadable file. */
  decode(path: string, dataType: DataType, ctx: DecodeContext): AsyncIterable<DecodeResult>;
}
