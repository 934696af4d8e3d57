import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataType } from '../../domain/events';
import type { DecodeResult, Decoder } from '../decoder';

/** Unit-test helper: writes `content` to a temporary file, decodes it and returns every result. */
export async function decodeContent(
  decoder: Decoder,
  dataType: DataType,
  content: string | Buffer,
  name = 'input.txt',
): Promise<DecodeResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'spothreat-decode-'));
  try {
    const path = join(dir, name);
    writeFileSync(path, content);
    const results: DecodeResult[] = [];
    for await (const result of decoder.decode(path, dataType, { file: name })) results.push(result);
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function docsOf(results: DecodeResult[]) {
  return results.flatMap((r) => (r.ok ? [r.doc] : []));
}

export function rejectionsOf(results: DecodeResult[]) {
  return results.flatMap((r) => (r.ok ? [] : [r]));
}
