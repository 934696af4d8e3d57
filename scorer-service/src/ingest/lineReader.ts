import { isAscii } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';

/** A line longer than this is not kept whole: it is reported as oversized and the reader moves on. */
export const DEFAULT_MAX_LINE_LENGTH = 1024 * 1024;

/** How much of an oversized line is kept so that its rejection still shows what it was. */
export const OVERSIZED_PREFIX_LENGTH = 4096;

export interface LineReaderOptions {
  /** Cap on a line's length (bytes while it is being read, characters once decoded); longer lines come back as oversized. */
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

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 13;

/** Bytes to text: latin1 is the cheapest exact decoding when the bytes are ASCII, as logs nearly always are. */
function decodeText(bytes: Buffer): string {
  return isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
}

function withoutCarriageReturn(line: string): string {
  return line.length > 0 && line.charCodeAt(line.length - 1) === CARRIAGE_RETURN ? line.slice(0, -1) : line;
}

/**
 * Splits a byte stream into lines. `\n` ends a line and a `\r` before it is dropped; a last line without
 * a newline is still a line (a truncated file keeps its partial record, which its parser then judges).
 * The split is made on bytes: a newline byte never occurs inside a UTF-8 character, so each run of whole
 * lines decodes on its own and a character cut by a chunk boundary waits with the unfinished line.
 */
export async function* splitLines(
  chunks: AsyncIterable<Buffer>,
  options: { maxLineLength?: number } = {},
): AsyncGenerator<LineBatch> {
  const maxLineLength = options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
  let nextLine = 1;
  // Bytes of a line whose end has not arrived yet.
  let carry: Buffer | undefined;
  // Inside a line over the cap: its length so far (-1 when not), and the start kept for its rejection.
  let skipped = -1;
  let skippedStart = '';

  // A read that fails part-way (a truncated gzip) still hands over the unfinished last line before the
  // error, so that every byte that was read is accounted for.
  let failure: unknown;
  try {
    for await (const chunk of chunks) {
      const lines: string[] = [];
      let oversized: Map<number, number> | undefined;
      const addOversized = (start: string, length: number): void => {
        oversized ??= new Map();
        oversized.set(lines.length, length);
        lines.push(start);
      };

      let data = chunk;
      let position = 0;
      if (skipped >= 0) {
        const newline = chunk.indexOf(NEWLINE);
        if (newline === -1) {
          skipped += chunk.length;
          continue;
        }
        addOversized(skippedStart, skipped + newline);
        skipped = -1;
        skippedStart = '';
        position = newline + 1;
      } else if (carry !== undefined) {
        data = Buffer.concat([carry, chunk]);
        carry = undefined;
      }

      const lastNewline = data.lastIndexOf(NEWLINE);
      if (lastNewline >= position) {
        const text = decodeText(data.subarray(position, lastNewline));
        let start = 0;
        for (;;) {
          const end = text.indexOf('\n', start);
          const line = withoutCarriageReturn(end === -1 ? text.slice(start) : text.slice(start, end));
          if (line.length > maxLineLength) addOversized(line.slice(0, OVERSIZED_PREFIX_LENGTH), line.length);
          else lines.push(line);
          if (end === -1) break;
          start = end + 1;
        }
        position = lastNewline + 1;
      }
      if (position < data.length) {
        const rest = data.subarray(position);
        if (rest.length > maxLineLength) {
          skipped = rest.length;
          skippedStart = decodeText(rest.subarray(0, OVERSIZED_PREFIX_LENGTH));
        } else {
          // A copy, so that the unfinished line does not keep the whole chunk alive.
          carry = Buffer.from(rest);
        }
      }
      if (lines.length > 0) {
        yield oversized ? { firstLine: nextLine, lines, oversized } : { firstLine: nextLine, lines };
        nextLine += lines.length;
      }
    }
  } catch (error) {
    failure = error;
  }

  if (skipped >= 0) {
    yield { firstLine: nextLine, lines: [skippedStart], oversized: new Map([[0, skipped]]) };
  } else if (carry !== undefined) {
    const last = withoutCarriageReturn(decodeText(carry));
    if (last.length > maxLineLength) {
      yield { firstLine: nextLine, lines: [last.slice(0, OVERSIZED_PREFIX_LENGTH)], oversized: new Map([[0, last.length]]) };
    } else if (last.length > 0) {
      yield { firstLine: nextLine, lines: [last] };
    }
  }
  if (failure !== undefined) throw failure;
}

/** The lines of a (possibly gzipped) file, in batches. */
export function readLineBatches(path: string, options: LineReaderOptions = {}): AsyncGenerator<LineBatch> {
  return splitLines(readFileBytes(path, options.onBytes), options);
}
