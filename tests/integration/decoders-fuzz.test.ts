// Fuzzing the decoders with mutated real lines: deletions, insertions of separators, quotes, control characters
// and non-ASCII, fields replaced by out-of-range, malformed or huge values, truncations and raw bytes that are
// not UTF-8. For every case: nothing throws, each data line yields exactly one result under its own line number,
// no rejection is an internal error, and every document that comes out holds valid values.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { isIP } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import type { DataType, RawEvent } from '../../scorer-service/src/domain/events';
import type { DecodeResult } from '../../scorer-service/src/ingest/decoder';
import { decodeLines } from '../../scorer-service/src/ingest/decoders/lineDecoder';
import { TsharkDnsParser, tsharkArguments } from '../../scorer-service/src/ingest/decoders/pcap';
import { splitLines } from '../../scorer-service/src/ingest/lineReader';
import { getDecoder } from '../../scorer-service/src/ingest/registry';

jest.setTimeout(300_000);

const repo = path.resolve(__dirname, '..', '..');
const data = path.join(repo, '..', 'shared', 'data');
const zeekDir = path.join(data, 'stratosphere-zeek-labeled', 'security-datasets-for-testing');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'spothreat-fuzz-'));
const CASES_PER_FORMAT = 1200;
// A fixed seed keeps runs repeatable; SPOTHREAT_FUZZ_SEED explores other cases.
const SEED = Number(process.env.SPOTHREAT_FUZZ_SEED ?? 0x5107);

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** mulberry32: a small seeded generator, so that a failing case can be replayed. */
function randomSource(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const INSERTS = [',', '\t', ' ', '"', "'", '{', '}', '[', ']', ':', '.', '-', '/', '\\', '#', '0', '9', 'x', '\u00e9', '\u20ac', '\uFFFD', '\u0000', '\u0007', '\r', '\uFEFF'];
const VALUES = ['', '-', '(empty)', '-1', '0', '70000', '65536', '4294967296', '99999999999999999999', 'NaN', 'Infinity', '0x10', '1e5', '1.5',
  '::1', '256.1.1.1', '1.2.3', 'fe80:::1', '2018-02-30 10:00:00', '9999-99-99 99:99:99', 'null', 'true', '{}', '[]', '"', 'T', 'F'];

interface Mutator {
  (line: string, separator: string): string;
}

function mutators(random: () => number): Mutator[] {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const at = (line: string) => Math.floor(random() * (line.length + 1));
  const fieldsOf = (line: string, separator: string) => line.split(separator);
  return [
    (line) => {
      const start = at(line);
      return line.slice(0, start) + line.slice(start + 1 + Math.floor(random() * 8));
    },
    (line) => {
      const i = at(line);
      return line.slice(0, i) + pick(INSERTS) + line.slice(i);
    },
    (line, separator) => {
      const fields = fieldsOf(line, separator);
      fields[Math.floor(random() * fields.length)] = random() < 0.1 ? 'z'.repeat(1 + Math.floor(random() * 3000)) : pick(VALUES);
      return fields.join(separator);
    },
    (line, separator) => {
      const fields = fieldsOf(line, separator);
      const i = Math.floor(random() * fields.length);
      if (random() < 0.5) fields.splice(i, 1);
      else fields.splice(i, 0, fields[i]);
      return fields.join(separator);
    },
    (line, separator) => {
      const fields = fieldsOf(line, separator);
      const [i, j] = [Math.floor(random() * fields.length), Math.floor(random() * fields.length)];
      [fields[i], fields[j]] = [fields[j], fields[i]];
      return fields.join(separator);
    },
    (line) => line.slice(0, at(line)),
  ];
}

interface Corpus {
  name: string;
  format: string;
  dataType: DataType;
  header: string[];
  rows: string[];
  separator: string;
  /** Lines the format reads as headers or comments rather than records; a mutant must not become one. */
  notARecord: (line: string) => boolean;
}

function lines(file: string): string[] {
  const bytes = fs.readFileSync(file);
  return (file.endsWith('.gz') ? zlib.gunzipSync(bytes) : bytes).toString('utf8').split('\n').filter((line) => line !== '');
}

const blank = (line: string) => line.replace(/^\uFEFF/, '').trim() === '';

function tsvZeek(name: string, file: string, dataType: DataType): Corpus {
  const all = lines(path.join(zeekDir, file));
  return {
    name,
    format: 'zeek',
    dataType,
    header: all.filter((line) => line.startsWith('#') && !line.startsWith('#close')),
    rows: all.filter((line) => !line.startsWith('#')),
    separator: '\t',
    notARecord: (line) => line === '' || line.startsWith('#'),
  };
}

function corpora(): Corpus[] {
  const nfdump = lines(path.join(data, 'stratosphere-slips-netflow-pcap', 'test1-malicious.nfdump-o-csv.csv.gz'));
  const argus = lines(path.join(data, 'stratosphere-slips-netflow-pcap', 'test2-malicious.binetflow.gz'));
  const argusTsv = lines(path.join(data, 'stratosphere-slips-netflow-pcap', 'test5-mixed.binetflow.gz'));
  const cic = lines(path.join(data, 'cse-cic-ids2018-samples', 'improved_all-days_toy_dataset_5000rows.csv.gz'));
  const cicClean = lines(path.join(data, 'cse-cic-ids2018-samples', 'feb14_Bruteforce-Wednesday-14-02-2018_sample6053.csv.gz'));
  const zeekJson = lines(path.join(zeekDir, '002-zeek-scenario-port-scanning', 'conn.log.gz'));
  const httpJson = lines(path.join(zeekDir, '007-zeek-scenario-ssh-infected', 'http.log.gz'));
  return [
    {
      name: 'nfdump csv',
      format: 'nfdump-csv',
      dataType: 'flow',
      header: nfdump.slice(0, 1),
      rows: nfdump.slice(1),
      separator: ',',
      notARecord: (line) => blank(line) || line === 'Summary' || line === 'No matching flows' || /^t[sr],/.test(line),
    },
    tsvZeek('zeek conn TSV', '008-zeek-mixed/data/conn.log.labeled.gz', 'flow'),
    tsvZeek('zeek dns TSV', '009-zeek-malicious/data/dns.log.labeled.gz', 'dns'),
    tsvZeek('zeek http TSV', '008-zeek-mixed/data/http.log.labeled.gz', 'proxy'),
    { name: 'zeek conn JSON', format: 'zeek', dataType: 'flow', header: [], rows: zeekJson, separator: ',', notARecord: (line) => blank(line) || line.startsWith('#') },
    { name: 'zeek http JSON', format: 'zeek', dataType: 'proxy', header: [], rows: httpJson, separator: ',', notARecord: (line) => blank(line) || line.startsWith('#') },
    { name: 'argus csv', format: 'argus', dataType: 'flow', header: argus.slice(0, 1), rows: argus.slice(1), separator: ',', notARecord: (line) => blank(line) || line.startsWith('StartTime') },
    { name: 'argus tsv', format: 'argus', dataType: 'flow', header: argusTsv.slice(0, 1), rows: argusTsv.slice(1), separator: '\t', notARecord: (line) => blank(line) || line.startsWith('StartTime') },
    ...[
      ['cicflowmeter improved', cic],
      ['cicflowmeter cleaned 2018', cicClean],
    ].map(([name, all]) => ({
      name: name as string,
      format: 'cicflowmeter',
      dataType: 'flow' as DataType,
      header: (all as string[]).slice(0, 1),
      rows: (all as string[]).slice(1),
      separator: ',',
      notARecord: (line: string) => blank(line) || (!/^\s*\d/.test(line) && /flow duration/i.test(line) && /protocol/i.test(line)),
    })),
  ];
}

/** Walks a document: every number finite, every address a valid IP, the timestamp a real time. */
function expectValidDocument(doc: RawEvent): void {
  const walk = (value: unknown, key: string): void => {
    if (typeof value === 'number') expect(Number.isFinite(value)).toBe(true);
    if (key === 'port') expect(Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 65535).toBe(true);
    if (key === 'ip') expect(isIP(value as string)).not.toBe(0);
    if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, k);
  };
  walk(doc, '');
  expect(Number.isNaN(Date.parse(doc['@timestamp']))).toBe(false);
}

interface Case {
  bytes: Buffer;
  text: string;
}

/** Mutates a real row until it is still a record by the format's own rules; one in twenty also gets raw non-UTF-8 bytes. */
function mutant(row: string, corpus: Corpus, random: () => number, mutate: Mutator[]): Case {
  let line = row;
  for (let attempt = 0; attempt < 10; attempt++) {
    line = row;
    const rounds = 1 + Math.floor(random() * 3);
    for (let r = 0; r < rounds; r++) line = mutate[Math.floor(random() * mutate.length)](line, corpus.separator);
    if (!corpus.notARecord(line)) break;
    line = row;
  }
  let bytes = Buffer.from(line, 'utf8');
  if (random() < 0.05) {
    const i = Math.floor(random() * (bytes.length + 1));
    bytes = Buffer.concat([bytes.subarray(0, i), Buffer.from([0xff, 0xc3]), bytes.subarray(i)]);
  }
  // The text the reader will see: invalid bytes read as U+FFFD, a trailing \r dropped as a line ending.
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes).replace(/\r$/, '');
  if (corpus.notARecord(text)) return { bytes: Buffer.from(row), text: row };
  return { bytes, text };
}

function checkResults(results: DecodeResult[], cases: Case[], firstLine: number, unit: string): void {
  expect(results.length).toBe(cases.length);
  results.forEach((result, i) => {
    const line = firstLine + i;
    expect(result.record).toBe(line);
    if (result.ok) {
      expectValidDocument(result.doc);
      expect(result.doc.spothreat.record).toBe(line);
    } else {
      expect(result.reason.startsWith(`${unit} ${line}: `)).toBe(true);
      expect(result.reason).not.toContain('could not be decoded');
      // A byte-order mark opening the file is not part of its first line.
      expect(result.raw).toBe(line === 1 ? cases[i].text.replace(/^\uFEFF/, '') : cases[i].text);
    }
  });
}

describe('fuzzing with mutated real lines', () => {
  async function fuzz(corpus: Corpus, seed: number): Promise<void> {
    const random = randomSource(seed);
    const mutate = mutators(random);
    const cases: Case[] = [];
    for (let i = 0; i < CASES_PER_FORMAT; i++) cases.push(mutant(corpus.rows[Math.floor(random() * corpus.rows.length)], corpus, random, mutate));
    const file = path.join(work, `${corpus.name.replace(/\W+/g, '-')}.txt`);
    const headerBytes = corpus.header.map((line) => Buffer.from(`${line}\n`));
    fs.writeFileSync(file, Buffer.concat([...headerBytes, ...cases.flatMap((c) => [c.bytes, Buffer.from('\n')])]));

    const results: DecodeResult[] = [];
    for await (const result of getDecoder(corpus.format).decode(file, corpus.dataType, { file })) results.push(result);
    checkResults(results, cases, corpus.header.length + 1, 'line');
    // The mutations must have bitten: a fuzz run in which everything decodes tests nothing.
    expect(results.filter((r) => !r.ok).length).toBeGreaterThan(CASES_PER_FORMAT / 10);
  }

  it.each(corpora().map((corpus, i) => [corpus.name, corpus, i] as const))(
    '%s: every mutated line gives exactly one result and nothing throws',
    async (_name, corpus, index) => fuzz(corpus, SEED + index),
  );

  it.each([
    ['flow', '008-zeek-mixed/data/conn.log.labeled.gz'],
    ['dns', '009-zeek-malicious/data/dns.log.labeled.gz'],
    ['proxy', '008-zeek-mixed/data/http.log.labeled.gz'],
  ] as const)('ecs-json %s documents (real Zeek rows as ECS): every mutated line gives exactly one result', async (dataType, file) => {
    const rows: string[] = [];
    for await (const result of getDecoder('zeek').decode(path.join(zeekDir, file), dataType, { file })) {
      if (result.ok) rows.push(JSON.stringify(result.doc));
    }
    const corpus: Corpus = { name: `ecs-json ${dataType}`, format: 'ecs-json', dataType, header: [], rows, separator: ',', notARecord: blank };
    await fuzz(corpus, SEED + 100 + rows.length);
  });

  it('tshark DNS output: every mutated line gives exactly one result, numbered by its frame or its line', async () => {
    const pcap = path.join(data, 'dns-tunnel-netrack', 'dns2tcp_2018-03-23-11-08-11.pcap.gz');
    const run = spawnSync('tshark', tsharkArguments(pcap), { encoding: 'utf8', maxBuffer: 1 << 28 });
    const rows = run.stdout.split('\n').filter((line) => line !== '');
    expect(rows.length).toBe(4533);
    const random = randomSource(SEED + 0xd25);
    const mutate = mutators(random);
    const corpus: Corpus = { name: 'tshark', format: 'pcap', dataType: 'dns', header: [], rows, separator: '\t', notARecord: (line) => line === '' };
    const cases = Array.from({ length: CASES_PER_FORMAT * 2 }, () => mutant(rows[Math.floor(random() * rows.length)], corpus, random, mutate));
    async function* source() {
      yield* splitLines((async function* () {
        yield Buffer.concat(cases.flatMap((c) => [c.bytes, Buffer.from('\n')]));
      })());
    }
    const results: DecodeResult[] = [];
    for await (const result of decodeLines('tshark-output', { file: 'fuzz.pcap' }, new TsharkDnsParser('fuzz.pcap'), { lines: source(), unit: 'packet' })) {
      results.push(result);
    }
    expect(results.length).toBe(cases.length);
    results.forEach((result, i) => {
      if (result.ok) expectValidDocument(result.doc);
      else {
        expect(result.reason).toMatch(/^packet \d+: /);
        expect(result.reason).not.toContain('could not be decoded');
        expect(result.raw).toBe(cases[i].text);
      }
    });
    expect(results.filter((r) => !r.ok).length).toBeGreaterThan(cases.length / 10);
  });
});
