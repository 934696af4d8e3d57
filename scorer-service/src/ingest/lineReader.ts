import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';

/** A line longer than this is not kept whole: it is reported as oversized and the reader moves on. */
export const DEFAULT_MAX_LINE_LENGTH = 1024 * 1024;

/** How much of an oversized line is kept so that its rejection still shows what it was. */
export const OVERSIZED_PREFIX_LENGTH = 4096;

export interface LineReaderOptions {
  /** Cap on a line's length in characters; longer lines come back as oversized. */
  maxLineLength?: number;
  /** Called after every chunk with the count of input bytes consumed (compressed bytes for gzip). */
  onBytes?: (bytesRead: number) => void;
}

/**
 * Consecutive lines of the input. Lines come in batches (one per input chunk) because handing them over
 * one at a time through an async iterator would cost more than parsing a flow record.
 */
export interface LineBatch {
  /** 1-based line number of `lines[0]`. */
  firstLine: number;
  /** Line texts without their `\n` or `\r\n`; bytes that are not UTF-8 are decoded as U+FFFD. */
  lines: string[];
  /** Index in `lines` -> full length of a line over the cap; `lines[i]` then holds only its first characters. */
  oversized?: Map<number, number>;
}

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;

/** True when the file starts with the gzip magic bytes; the name is not trusted because logs get renamed. */
export async function isGzipFile(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === GZIP_MAGIC_0 && head[1] === GZIP_MAGIC_1;
  } finally {
    await handle.close();
  }
}

/**
 * The file's bytes, gunzipped when it is gzip. Streams with bounded memory; `onBytes` reports bytes read
 * from disk so that a progress bar can compare them with the file size.
 */
export async function* readFileBytes(path: string, onBytes?: (bytesRead: number) => void): AsyncGenerator<Buffer> {
  const gzip = await isGzipFile(path);
  const file = createReadStream(path, { highWaterMark: 1024 * 1024 });
  let bytesRead = 0;
  if (onBytes) {
    file.on('data', (chunk) => {
      bytesRead += chunk.length;
      onBytes(bytesRead);
    });
  }
  const stream = gzip ? file.pipe(createGunzip()) : file;
  if (gzip) file.on('error', (error) => stream.destroy(error));
  try {
    for await (const chunk of stream) yield chunk as Buffer;
  } finally {
    file.destroy();
    stream.destroy();
  }
}

/**
 * Splits a byte stream into lines. `\n` ends a line and a `\r` before it is dropped; a last line without
 * a newline is still a line (a truncated file keeps its partial record, which its parser then judges).
 */
export async function* splitLines(
  chunks: AsyncIterable<Buffer>,
  options: { maxLineLength?: number } = {},
): AsyncGenerator<LineBatch> {
  const maxLineLength = options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
  const decoder = new StringDecoder('utf8');
  let nextLine = 1;
  let pending = '';
  // While a line is over the cap its text is no longer collected, only its length.
  let overLength = -1;

  for await (const chunk of chunks) {
    const text = decoder.write(chunk);
    const lines: string[] = [];
    let oversized: Map<number, number> | undefined;
    let start = 0;
    for (;;) {
      const end = text.indexOf('\n', start);
      if (end === -1) break;
      if (overLength >= 0) {
        oversized ??= new Map();
        oversized.set(lines.length, overLength + end - start);
        lines.push(pending);
        pending = '';
        overLength = -1;
      } else {
        let line = pending.length > 0 ? pending + text.slice(start, end) : text.slice(start, end);
        pending = '';
        if (line.length > 0 && line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
        if (line.length > maxLineLength) {
          oversized ??= new Map();
          oversized.set(lines.length, line.length);
          line = line.slice(0, OVERSIZED_PREFIX_LENGTH);
        }
        lines.push(line);
      }
      start = end + 1;
    }
    if (start < text.length) {
      if (overLength >= 0) {
        overLength += text.length - start;
      } else {
        pending += text.slice(start);
        if (pending.length > maxLineLength) {
          overLength = pending.length;
          pending = pending.slice(0, OVERSIZED_PREFIX_LENGTH);
        }
      }
    }
    if (lines.length > 0) {
      yield oversized ? { firstLine: nextLine, lines, oversized } : { firstLine: nextLine, lines };
      nextLine += lines.length;
    }
  }

  const rest = decoder.end();
  if (overLength >= 0) {
    yield { firstLine: nextLine, lines: [pending], oversized: new Map([[0, overLength + rest.length]]) };
    return;
  }
  let last = pending + rest;
  if (last.length > 0 && last.charCodeAt(last.length - 1) === 13) last = last.slice(0, -1);
  if (last.length === 0) return;
  if (last.length > maxLineLength) {
    yield { firstLine: nextLine, lines: [last.slice(0, OVERSIZED_PREFIX_LENGTH)], oversized: new Map([[0, last.length]]) };
  } else {
    yield { firstLine: nextLine, lines: [last] };
  }
}

/** The lines of a (possibly gzipped) file, in batches. */
export function readLineBatches(path: string, options: LineReaderOptions = {}): AsyncGenerator<LineBatch> {
  return splitLines(readFileBytes(path, options.onBytes), options);
}
