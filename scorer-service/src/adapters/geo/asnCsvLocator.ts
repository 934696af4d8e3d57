import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import { parse } from 'csv-parse';
import { AsnRangeError, AsnRanges, AsnRangesBuilder, type AsnRangesData, type AsnRangesStats } from '../../enrichment/asnRanges';

/**
 * Offline IP -> AS lookups from ip-location-db's ASN CSVs (`ip_range_start,ip_range_end,as_number,as_organisation`,
 * one file per address family), by default the ones `@ip-location-db/asn` ships. Parsing the ~515k ranges takes a
 * few seconds, so the packed arrays are cached with v8's serializer under the state folder, keyed by the files'
 * paths, sizes and modification times (and the package version); the next start reads them back in milliseconds.
 */

const PACKAGE = '@ip-location-db/asn';
/** Raised when the cached layout changes, so an old cache is never read as a new one. */
const CACHE_FORMAT = 1;

export interface AsnSourceFiles {
  files: string[];
  /** The package version for the packaged files, `custom` for a user's. */
  label: string;
}

export interface AsnLoadReport {
  files: string[];
  label: string;
  fromCache: boolean;
  cacheFile?: string;
  /** Why the cache could not be written or read (the lookups work all the same). */
  cacheProblem?: string;
  loadMs: number;
  /** Ranges cut short because the next range overlapped them (only known when the CSVs were parsed). */
  overlapsClipped?: number;
  stats: AsnRangesStats;
}

/** The IPv4 and IPv6 CSVs of the installed `@ip-location-db/asn` package. */
export function packagedAsnFiles(): AsnSourceFiles {
  let manifest: string;
  try {
    manifest = require.resolve(`${PACKAGE}/package.json`);
  } catch {
    throw new Error(`the npm package ${PACKAGE} is not installed; run \`npm ci\` at the repository root, or set SPOTHREAT_ASN_CSV to your own CSVs (or to none)`);
  }
  const folder = path.dirname(manifest);
  const version = (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version: string }).version;
  return { files: [path.join(folder, 'asn-ipv4.csv'), path.join(folder, 'asn-ipv6.csv')], label: version };
}

/** Parses the CSVs into ranges, streaming; a bad row stops the load with the file, line and reason. */
export async function parseAsnCsvFiles(files: readonly string[]): Promise<{ ranges: AsnRanges; overlapsClipped: number }> {
  const builder = new AsnRangesBuilder();
  for (const file of files) await addCsvFile(builder, file);
  const { ranges, report } = builder.build();
  return { ranges, overlapsClipped: report.overlapsClipped };
}

async function addCsvFile(builder: AsnRangesBuilder, file: string): Promise<void> {
  try {
    await fs.promises.access(file, fs.constants.R_OK);
  } catch (error) {
    throw new Error(`cannot read the ASN CSV ${file}: ${(error as Error).message}`);
  }
  const parser = fs.createReadStream(file).pipe(parse({ info: true, skip_empty_lines: true, relax_column_count: true }));
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const origin = { file, line: info.lines };
      // An optional header line (`ip_range_start,...`): its first field is a word, never an address or a number.
      if (info.lines === 1 && /^[a-z_ ]+$/i.test(record[0] ?? '')) continue;
      if (record.length < 3 || record.length > 4) {
        throw new AsnRangeError(origin, `expected 3 or 4 columns (ip_range_start,ip_range_end,as_number[,as_organisation]), found ${record.length}`);
      }
      builder.add(record[0], record[1], record[2], record[3] ?? '', origin);
    }
  } catch (error) {
    if (error instanceof AsnRangeError) throw error;
    const line = (error as { lines?: number }).lines;
    throw new Error(`${file}${line ? `:${line}` : ''}: ${(error as Error).message}`);
  }
}

function cacheFileFor(source: AsnSourceFiles, cacheDir: string): string {
  const identity = source.files.map((file) => {
    const stat = fs.statSync(file);
    return [path.resolve(file), stat.size, stat.mtimeMs];
  });
  const key = createHash('sha256').update(JSON.stringify([CACHE_FORMAT, process.versions.v8, identity])).digest('hex').slice(0, 16);
  return path.join(cacheDir, `asn-${source.label.replace(/[^A-Za-z0-9.-]/g, '_')}-${key}.v8`);
}

function isRangesData(value: unknown): value is AsnRangesData {
  const d = value as Partial<AsnRangesData> | null;
  if (!d || typeof d !== 'object') return false;
  const arrays = [d.v4Starts, d.v4Ends, d.v4Asns, d.v4Orgs, d.v6Starts, d.v6Ends, d.v6Asns, d.v6Orgs];
  // By tag, not instanceof: a deserialised array may come from another realm (jest's module sandbox, for one).
  const isUint32Array = (a: unknown) => Object.prototype.toString.call(a) === '[object Uint32Array]';
  if (!arrays.every(isUint32Array) || !Array.isArray(d.organizations) || !d.organizations.every((o) => typeof o === 'string')) return false;
  const v4 = d.v4Asns!.length;
  const v6 = d.v6Asns!.length;
  return (
    d.v4Starts!.length === v4 && d.v4Ends!.length === v4 && d.v4Orgs!.length === v4 &&
    d.v6Starts!.length === v6 * 4 && d.v6Ends!.length === v6 * 4 && d.v6Orgs!.length === v6
  );
}

function readCache(file: string): AsnRanges | undefined {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    return undefined;
  }
  try {
    const data = v8.deserialize(bytes) as unknown;
    return isRangesData(data) ? new AsnRanges(data) : undefined;
  } catch {
    return undefined;
  }
}

/** Written beside its final name and renamed, so a process starting at the same time never reads half a file. */
function writeCache(file: string, ranges: AsnRanges): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(temporary, v8.serialize(ranges.toData()));
    fs.renameSync(temporary, file);
  } finally {
    fs.rmSync(temporary, { force: true });
  }
}

/**
 * Opens the ASN table from `files` (the packaged CSVs when none are given), through the cache in `cacheDir` when
 * one is given.
 */
export async function openAsnLocator(opts: { files?: readonly string[]; cacheDir?: string } = {}): Promise<{ ranges: AsnRanges; report: AsnLoadReport }> {
  const started = performance.now();
  const source: AsnSourceFiles = opts.files && opts.files.length > 0 ? { files: [...opts.files], label: 'custom' } : packagedAsnFiles();
  for (const file of source.files) {
    if (!fs.existsSync(file)) throw new Error(`the ASN CSV ${file} does not exist (check SPOTHREAT_ASN_CSV)`);
  }
  const cacheFile = opts.cacheDir ? cacheFileFor(source, opts.cacheDir) : undefined;
  const cached = cacheFile ? readCache(cacheFile) : undefined;
  if (cached) {
    return { ranges: cached, report: { files: source.files, label: source.label, fromCache: true, cacheFile, loadMs: performance.now() - started, stats: cached.stats() } };
  }
  const { ranges, overlapsClipped } = await parseAsnCsvFiles(source.files);
  let cacheProblem: string | undefined;
  if (cacheFile) {
    try {
      writeCache(cacheFile, ranges);
    } catch (error) {
      cacheProblem = `cannot write the ASN cache ${cacheFile}: ${(error as Error).message}`;
    }
  }
  const report: AsnLoadReport = {
    files: source.files,
    label: source.label,
    fromCache: false,
    ...(cacheFile && !cacheProblem ? { cacheFile } : {}),
    ...(cacheProblem ? { cacheProblem } : {}),
    loadMs: performance.now() - started,
    overlapsClipped,
    stats: ranges.stats(),
  };
  return { ranges, report };
}
