import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { parseTopDomainList, type TopDomainList } from '../../domain/topDomains';

/**
 * Reads a top-domain list file (plain or gzip, told apart by the gzip magic bytes rather than the name) and
 * fails when nothing in it reads as a domain: a wrong path or format should stop a run, not silently turn the
 * "top domain" feature off.
 */
export async function readTopDomainsFile(path: string): Promise<TopDomainList> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new Error(`cannot read the top-domain list ${path}: ${(error as Error).message}`);
  }
  const isGzip = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
  const text = (isGzip ? gunzipSync(bytes) : bytes).toString('utf8');
  const list = parseTopDomainList(text);
  if (list.entries === 0) {
    const sample = list.rejectedSamples[0];
    const why = sample ? `; line ${sample.line} "${sample.text}": ${sample.reason}` : ' (the file is empty)';
    throw new Error(`the top-domain list ${path} names no domain${why}`);
  }
  return list;
}
