import type { DataType } from '../../domain/events';
import type { DecodeContext, DecodeResult, Decoder } from '../decoder';
import { DEFAULT_MAX_LINE_LENGTH, type LineBatch, readLineBatches } from '../lineReader';
import { FormatError, RecordError } from './fields';
import { defineDecoder } from './support';

/**
 * One text format's reading of one file. `parse` returns the record's document, or `undefined` for a line
 * that is not a record (a header, a comment, a blank line). It throws a RecordError to reject the line and a
 * FormatError when the file as a whole cannot be this format.
 */
export interface LineParser {
  parse(line: string, lineNumber: number): DecodeResult | undefined;
}

export interface LineDecodeOptions {
  maxLineLength?: number;
  /** Lines from somewhere other than the file (a child process's output); the file is then not opened. */
  lines?: AsyncIterable<LineBatch>;
  /** Word for a record in reasons: `line` for files, `flow` for nfdump's output. */
  unit?: string;
  /** Lines before the first record that are not counted as records (nfdump's header): record = line - offset. */
  lineOffset?: number;
}

export function rejection(record: number, reason: string, raw: string): DecodeResult {
  return { ok: false, record, reason, raw };
}

/** A read error as a reason: zlib's terse codes say what happened to the gzip stream. */
function readFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'Z_BUF_ERROR') return 'the gzip data ends early (the file is truncated)';
  if (code === 'Z_DATA_ERROR') return `the gzip data is corrupt (${(error as Error).message})`;
  return error instanceof Error ? error.message : String(error);
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * Runs a LineParser over a file's lines: every line yields at most one result, an over-long line becomes a
 * rejection without reaching the parser, and a parser's RecordError becomes a rejection that names the line.
 */
export async function* decodeLines(
  path: string,
  ctx: DecodeContext,
  parser: LineParser,
  options: LineDecodeOptions = {},
): AsyncGenerator<DecodeResult> {
  const maxLineLength = options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
  const unit = options.unit ?? 'line';
  const lineOffset = options.lineOffset ?? 0;
  const batches = (options.lines ?? readLineBatches(path, { maxLineLength, onBytes: ctx.onBytes }))[Symbol.asyncIterator]();
  let linesRead = 0;
  try {
    for (;;) {
      let step: IteratorResult<LineBatch>;
      try {
        step = await batches.next();
      } catch (error) {
        // Nothing read: the file is unreadable. Part read (a truncated gzip): what was read stands, and one
        // rejection records where and why reading stopped.
        if (linesRead === 0) throw new Error(`${ctx.file}: could not be read: ${readFailure(error)}`);
        const next = linesRead + 1 - lineOffset;
        yield rejection(next, `${unit} ${next}: reading stopped: ${readFailure(error)}`, '');
        return;
      }
      if (step.done) return;
      const { lines, oversized, firstLine } = step.value;
      linesRead += lines.length;
      for (let i = 0; i < lines.length; i++) {
        const lineNumber = firstLine + i - lineOffset;
        // A byte-order mark (Windows tools write one before CSV headers) is not part of the first line.
        const line = firstLine + i === 1 && lines[i].charCodeAt(0) === 0xfeff ? lines[i].slice(1) : lines[i];
        const fullLength = oversized?.get(i);
        const result =
          fullLength === undefined
            ? parseLine(parser, line, lineNumber, unit, ctx.file)
            : rejection(
                lineNumber,
                `${unit} ${lineNumber}: ${fullLength} characters long, over the limit of ${maxLineLength}; only its start is kept`,
                line,
              );
        if (result !== undefined) yield result;
      }
    }
  } finally {
    await batches.return?.();
  }
}

function parseLine(parser: LineParser, line: string, lineNumber: number, unit: string, file: string): DecodeResult | undefined {
  try {
    return parser.parse(line, lineNumber);
  } catch (error) {
    if (error instanceof RecordError) return rejection(lineNumber, `${unit} ${lineNumber}: ${error.message}`, line);
    if (error instanceof FormatError) throw new FormatError(`${file}: ${unit} ${lineNumber}: ${error.message}`);
    // A parser bug must not lose the line or stop the file: the rejection carries the error.
    return rejection(lineNumber, `${unit} ${lineNumber}: could not be decoded (${describe(error)})`, line);
  }
}

/** A Decoder for a line-oriented text format: one LineParser per file decoded. */
export function textDecoder(
  format: string,
  dataTypes: readonly DataType[],
  makeParser: (file: string, dataType: DataType) => LineParser,
): Decoder {
  return defineDecoder(format, dataTypes, (path, dataType, ctx) => decodeLines(path, ctx, makeParser(ctx.file, dataType)));
}
