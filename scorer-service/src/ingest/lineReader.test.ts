import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type LineBatch, readLineBatches, splitLines } from './lineReader';

async function* chunksOf(...parts: (string | Buffer)[]): AsyncGenerator<Buffer> {
  for (const part of parts) yield typeof part === 'string' ? Buffer.from(part, 'utf8') : part;
}

async function collect(batches: AsyncIterable<LineBatch>) {
  const lines: { n: number; text: string; oversized?: number }[] = [];
  for await (const batch of batches) {
    batch.lines.forEach((text, i) => lines.push({ n: batch.firstLine + i, text, oversized: batch.oversized?.get(i) }));
  }
  return lines;
}

describe('splitLines', () => {
  it('numbers lines from 1 and drops the \\r of CRLF endings', async () => {
    const lines = await collect(splitLines(chunksOf('a,b\r\nc,d\r\n')));
    expect(lines).toEqual([
      { n: 1, text: 'a,b', oversized: undefined },
      { n: 2, text: 'c,d', oversized: undefined },
    ]);
  });

  it('joins a line split across chunks, including a CRLF split between \\r and \\n', async () => {
    const lines = await collect(splitLines(chunksOf('first li', 'ne\r', '\nsecond\n')));
    expect(lines.map((l) => l.text)).toEqual(['first line', 'second']);
  });

  it('keeps a last line that has no newline (a truncated file)', async () => {
    const lines = await collect(splitLines(chunksOf('one\ntwo,partial')));
    expect(lines.map((l) => l.text)).toEqual(['one', 'two,partial']);
  });

  it('gives nothing for empty input', async () => {
    expect(await collect(splitLines(chunksOf()))).toEqual([]);
    expect(await collect(splitLines(chunksOf('')))).toEqual([]);
  });

  it('keeps blank lines so that line numbers stay true to the file', async () => {
    const lines = await collect(splitLines(chunksOf('a\n\nb\n')));
    expect(lines.map((l) => [l.n, l.text])).toEqual([
      [1, 'a'],
      [2, ''],
      [3, 'b'],
    ]);
  });

  it('decodes bytes that are not UTF-8 as U+FFFD and keeps the rest of the line', async () => {
    const bad = Buffer.concat([Buffer.from('caf'), Buffer.from([0xe9, 0xff]), Buffer.from(' ok\n')]);
    const lines = await collect(splitLines(chunksOf(bad)));
    expect(lines[0].text).toBe('caf\uFFFD\uFFFD ok');
  });

  it('keeps a multi-byte character whole when a chunk boundary cuts through it', async () => {
    const euro = Buffer.from('\u20ac\n');
    const lines = await collect(splitLines(chunksOf(euro.subarray(0, 1), euro.subarray(1))));
    expect(lines[0].text).toBe('\u20ac');
  });

  it('reports a line over the cap with its full length and only its start, then carries on', async () => {
    const long = 'x'.repeat(50);
    const lines = await collect(splitLines(chunksOf(`ok\n${long}\nnext\n`), { maxLineLength: 10 }));
    expect(lines.map((l) => l.text.length <= 50)).toEqual([true, true, true]);
    expect(lines[1].oversized).toBe(50);
    expect(lines[2]).toEqual({ n: 3, text: 'next', oversized: undefined });
  });

  it('does not hold an endless line in memory: it stops collecting at the cap across chunks', async () => {
    const piece = 'y'.repeat(10_000);
    const parts = Array.from({ length: 100 }, () => piece);
    const lines = await collect(splitLines(chunksOf(...parts, '\nafter\n'), { maxLineLength: 20_000 }));
    expect(lines[0].oversized).toBe(1_000_000);
    expect(lines[0].text.length).toBeLessThanOrEqual(20_000);
    expect(lines[1].text).toBe('after');
  });

  it('reports an oversized last line without a newline', async () => {
    const lines = await collect(splitLines(chunksOf('a\n', 'z'.repeat(30)), { maxLineLength: 10 }));
    expect(lines[1].oversized).toBe(30);
  });
});

describe('readLineBatches', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'spothreat-lines-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads gzip by its magic bytes whatever the file is called', async () => {
    const path = join(dir, 'renamed.log');
    writeFileSync(path, gzipSync('one\ntwo\n'));
    expect((await collect(readLineBatches(path))).map((l) => l.text)).toEqual(['one', 'two']);
  });

  it('reads plain text and reports bytes consumed', async () => {
    const path = join(dir, 'plain.log');
    writeFileSync(path, 'alpha\nbeta\n');
    let seen = 0;
    const lines = await collect(readLineBatches(path, { onBytes: (n) => (seen = n) }));
    expect(lines.map((l) => l.text)).toEqual(['alpha', 'beta']);
    expect(seen).toBe(11);
  });

  it('gives no lines for an empty file', async () => {
    const path = join(dir, 'empty.log');
    writeFileSync(path, '');
    expect(await collect(readLineBatches(path))).toEqual([]);
  });

  it('hands over the lines read before a truncated gzip stream fails, then the failure', async () => {
    const path = join(dir, 'truncated.gz');
    const whole = gzipSync(Array.from({ length: 20_000 }, (_, i) => `line ${i}`).join('\n'));
    writeFileSync(path, whole.subarray(0, Math.floor(whole.length / 2)));
    const seen: string[] = [];
    let failure: unknown;
    try {
      for await (const batch of readLineBatches(path)) seen.push(...batch.lines);
    } catch (error) {
      failure = error;
    }
    expect((failure as NodeJS.ErrnoException).code).toBe('Z_BUF_ERROR');
    expect(seen.length).toBeGreaterThan(1000);
    expect(seen.slice(0, -1).every((line, i) => line === `line ${i}`)).toBe(true);
  });

  it('fails with the path when the file does not exist', async () => {
    await expect(collect(readLineBatches(join(dir, 'missing.log')))).rejects.toThrow(/missing\.log/);
  });
});
