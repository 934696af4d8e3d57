import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parseTopDomainList } from '../../domain/topDomains';
import { DEFAULT_OPTIONS, generateDemoDay, type DemoDayOptions, type DemoDaySummary, type GenerationProgress } from './day';
import type { LineSink, SinkFactory } from './dayWriter';

/** The file side of the generator: sinks that write files, the top-domain list from disk, the manifest. */

const BUFFER_BYTES = 1 << 20;

/**
 * Encodes lines straight into a reused megabyte buffer and writes it when full: one system call per megabyte
 * and no intermediate strings, which matters at hundreds of thousands of lines a second.
 */
class FileSink implements LineSink {
  private readonly fd: number;
  private readonly buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  private used = 0;

  constructor(path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, 'w');
  }

  line(text: string): void {
    // The generator writes ASCII only (the domain catalog keeps ASCII names), so one byte per character and
    // latin1, the fastest encoder, gives the same bytes as UTF-8.
    const worst = text.length + 1;
    if (this.used + worst > BUFFER_BYTES) this.flush();
    if (worst > BUFFER_BYTES) {
      writeSync(this.fd, `${text}\n`);
      return;
    }
    this.used += this.buffer.write(text, this.used, 'latin1');
    this.buffer[this.used++] = 10;
  }

  private flush(): void {
    let offset = 0;
    while (offset < this.used) offset += writeSync(this.fd, this.buffer, offset, this.used - offset);
    this.used = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

export function fileSinks(directory: string): SinkFactory {
  return (relativePath) => new FileSink(join(directory, relativePath));
}

/**
 * The top-domain lists a user of this repository has beside it (`../shared/data/top-domains`), best first. The
 * generator falls back to its built-in list when none is there.
 */
export function defaultTopDomainFiles(repositoryRoot: string): string[] {
  const folder = join(repositoryRoot, '..', 'shared', 'data', 'top-domains');
  return ['tranco_top_100k_kamika-ze.csv.gz', 'ranked_top_50526_kmikholap_2025-02.csv.gz'].map((name) => join(folder, name));
}

export interface LoadedDomains {
  domains: string[];
  source: string;
}

/** Reads a ranked domain list (`domain` or `rank,domain` per line, gzip or plain) in rank order. */
export function loadTopDomains(path: string): LoadedDomains {
  const raw = readFileSync(path);
  const text = (path.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
  const list = parseTopDomainList(text);
  if (list.registeredDomains.size === 0) throw new Error(`${path} names no registrable domains`);
  return { domains: [...list.registeredDomains], source: path };
}

/** The first list that exists among `candidates`, or undefined for the built-in one. */
export function findTopDomains(candidates: readonly string[]): LoadedDomains | undefined {
  const path = candidates.find((candidate) => existsSync(candidate));
  return path === undefined ? undefined : loadTopDomains(path);
}

export interface WrittenDemoDay extends DemoDaySummary {
  directory: string;
  /** The same files as absolute paths, ready for `spothreat ingest`. */
  paths: { flow: string[]; dns: string[]; proxy: string[]; labels: string; manifest: string };
}

export const MANIFEST_FILE = 'manifest.json';

/**
 * Generates a day into `directory` (created when missing) and writes `manifest.json` beside the data: the
 * options, the network, the attacks with their parameters, the files and the counts.
 */
export function writeDemoDay(directory: string, options: Partial<DemoDayOptions> = {}, onProgress?: (progress: GenerationProgress) => void): WrittenDemoDay {
  const full: DemoDayOptions = { ...DEFAULT_OPTIONS, ...options };
  const root = resolve(directory);
  mkdirSync(root, { recursive: true });
  const summary = generateDemoDay(full, fileSinks(root), onProgress);
  const manifest = join(root, MANIFEST_FILE);
  writeFileSync(manifest, `${JSON.stringify(summary, null, 2)}\n`);
  const absolute = (paths: string[]) => paths.map((path) => join(root, path));
  return {
    ...summary,
    directory: root,
    paths: {
      flow: absolute(summary.files.flow),
      dns: absolute(summary.files.dns),
      proxy: absolute(summary.files.proxy),
      labels: join(root, summary.labelsFile),
      manifest,
    },
  };
}
