// Every decoder on the real third-party files in ../shared/data. Record counts are checked against counts made
// without the decoders (nfdump and tshark themselves, plain line counts), and field values against the raw text.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import type { DataType, DnsEvent, FlowEvent, ProxyEvent, RawEvent } from '../../scorer-service/src/domain/events';
import type { DecodeResult } from '../../scorer-service/src/ingest/decoder';
import { getDecoder } from '../../scorer-service/src/ingest/registry';

jest.setTimeout(300_000);

const repo = path.resolve(__dirname, '..', '..');
const data = path.join(repo, '..', 'shared', 'data');
const slips = path.join(data, 'stratosphere-slips-netflow-pcap');
const zeek = path.join(data, 'stratosphere-zeek-labeled', 'security-datasets-for-testing');
const cic = path.join(data, 'cse-cic-ids2018-samples');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'spothreat-decoders-'));

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

async function decodeAll(format: string, dataType: DataType, file: string): Promise<DecodeResult[]> {
  const results: DecodeResult[] = [];
  for await (const result of getDecoder(format).decode(file, dataType, { file })) results.push(result);
  return results;
}

function docs<T extends RawEvent>(results: DecodeResult[]): T[] {
  return results.flatMap((r) => (r.ok ? [r.doc as T] : []));
}

/** The file's lines, read with zlib and split on newlines: an independent view of the raw text. */
function rawLines(file: string): string[] {
  const bytes = fs.readFileSync(file);
  const text = (file.endsWith('.gz') ? zlib.gunzipSync(bytes) : bytes).toString('utf8');
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function stdoutLines(command: string, args: string[]): string[] {
  const run = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, TZ: 'UTC' } });
  if (run.status !== 0) throw new Error(`${command} failed: ${run.stderr}`);
  return run.stdout.split('\n').filter((line) => line !== '');
}

function countBy<T>(items: T[], key: (item: T) => string | undefined): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) {
    const k = key(item) ?? '(none)';
    counts[k] = (counts[k] ?? 0) + 1;
  }
  return counts;
}

/** Each record number at most once, ascending: no record is reported twice. */
function expectDistinctRecords(results: DecodeResult[]): void {
  const records = results.map((r) => r.record);
  expect(new Set(records).size).toBe(records.length);
  expect([...records].sort((a, b) => a - b)).toEqual(records);
}

describe('nfcapd and nfdump-csv on the real capture', () => {
  const nfcapd = path.join(slips, 'test1-malicious.nfcapd');
  const csv = path.join(slips, 'test1-malicious.nfdump-o-csv.csv.gz');

  it('decodes as many flows as `nfdump -r FILE -q -o csv` prints, with the values it prints', async () => {
    const expected = stdoutLines('nfdump', ['-r', nfcapd, '-q', '-o', 'csv']);
    const results = await decodeAll('nfcapd', 'flow', nfcapd);
    expect(expected.length).toBe(4593);
    expect(results.length).toBe(expected.length);
    expect(results.every((r) => r.ok)).toBe(true);
    expectDistinctRecords(results);
    const flows = docs<FlowEvent>(results);
    for (const n of [0, 1, 2291, 4592]) {
      const [ts, te, td, sa, da, sp, dp, pr, , , , ipkt, ibyt, opkt, obyt] = expected[n].split(',');
      expect(flows[n]).toMatchObject({
        '@timestamp': `${ts.replace(' ', 'T')}.000Z`,
        event: { end: `${te.replace(' ', 'T')}.000Z`, duration: Math.round(Number(td) * 1e9) },
        source: { ip: sa, port: Number(sp), packets: Number(ipkt), bytes: Number(ibyt) },
        destination: { ip: da, port: Number(dp), packets: Number(opkt), bytes: Number(obyt) },
        network: { transport: pr.toLowerCase() },
        spothreat: { format: 'nfcapd', record: n + 1 },
      });
    }
    expect(countBy(flows, (f) => f.network.transport)).toEqual({ tcp: 4576, udp: 17 });
  });

  it('reads a gzipped nfcapd file the same way', async () => {
    const gz = path.join(work, 'test1-malicious.nfcapd.gz');
    fs.writeFileSync(gz, zlib.gzipSync(fs.readFileSync(nfcapd)));
    const [plain, zipped] = [await decodeAll('nfcapd', 'flow', nfcapd), await decodeAll('nfcapd', 'flow', gz)];
    expect(zipped.length).toBe(plain.length);
    expect(docs<FlowEvent>(zipped).map((d) => d.source)).toEqual(docs<FlowEvent>(plain).map((d) => d.source));
  });

  it('gives from the exported csv exactly the documents it gives from the binary', async () => {
    const fromCsv = await decodeAll('nfdump-csv', 'flow', csv);
    const fromBinary = await decodeAll('nfcapd', 'flow', nfcapd);
    expect(fromCsv.length).toBe(rawLines(csv).length - 1);
    const strip = (d: FlowEvent) => ({ ...d, spothreat: undefined });
    expect(docs<FlowEvent>(fromCsv).map(strip)).toEqual(docs<FlowEvent>(fromBinary).map(strip));
    expect(fromCsv[0]).toMatchObject({ record: 2, doc: { spothreat: { format: 'nfdump-csv', record: 2 } } });
  });
});

describe('stopping early', () => {
  /** Processes whose command line names `file` (read-only look at ps). */
  function processesReading(file: string): string[] {
    return spawnSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).stdout.split('\n').filter((line) => line.includes(file));
  }

  it('stops nfdump and tshark and removes the gunzipped copy when the reader stops after a few records', async () => {
    const nfcapdGz = path.join(work, 'early-stop.nfcapd.gz');
    fs.writeFileSync(nfcapdGz, zlib.gzipSync(fs.readFileSync(path.join(slips, 'test1-malicious.nfcapd'))));
    const pcap = path.join(work, 'early-stop.pcap.gz');
    fs.copyFileSync(path.join(data, 'dns-tunnel-netrack', 'dns2tcp_2018-03-23-11-08-11.pcap.gz'), pcap);
    // Gunzipped copies of this file still lying in a temporary folder (other runs may have folders of their own).
    const leftovers = () =>
      fs
        .readdirSync(os.tmpdir())
        .filter((name) => name.startsWith('spothreat-gunzip-'))
        .filter((name) => fs.existsSync(path.join(os.tmpdir(), name, 'early-stop.nfcapd')));
    for (const [format, dataType, file] of [['nfcapd', 'flow', nfcapdGz], ['pcap', 'dns', pcap]] as const) {
      let seen = 0;
      for await (const result of getDecoder(format).decode(file, dataType, { file })) {
        expect(result.ok).toBe(true);
        if (++seen === 10) break;
      }
      expect(seen).toBe(10);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(processesReading(pcap)).toEqual([]);
    expect(processesReading('early-stop.nfcapd')).toEqual([]);
    expect(leftovers()).toEqual([]);
  });
});

describe('memory', () => {
  it('streams a file several times larger than the heap it is allowed', () => {
    const csv = rawLines(path.join(slips, 'test1-malicious.nfdump-o-csv.csv.gz'));
    const file = path.join(work, 'large.nfdump.csv');
    const out = fs.openSync(file, 'w');
    const block = `${csv.slice(1).join('\n')}\n`;
    fs.writeSync(out, `${csv[0]}\n`);
    for (let i = 0; i < 100; i++) fs.writeSync(out, block);
    fs.closeSync(out);
    expect(fs.statSync(file).size).toBeGreaterThan(150 * 1024 * 1024);

    // A separate process whose V8 heap is capped at 48 MB: a decoder that kept the file's lines or its
    // documents would die of an out-of-memory error long before the end.
    const script = path.join(work, 'count.js');
    fs.writeFileSync(
      script,
      `require(${JSON.stringify(require.resolve('tsx/cjs'))});
       const { getDecoder } = require(${JSON.stringify(path.join(repo, 'scorer-service', 'src', 'ingest', 'registry.ts'))});
       (async () => {
         let records = 0;
         for await (const result of getDecoder('nfdump-csv').decode(process.argv[2], 'flow', { file: 'large' })) {
           if (!result.ok) throw new Error(result.reason);
           records++;
         }
         console.log(records);
       })();`,
    );
    const run = spawnSync(process.execPath, ['--max-old-space-size=48', script, file], { cwd: repo, encoding: 'utf8' });
    expect(run.stderr).not.toMatch(/heap out of memory/);
    expect(run.status).toBe(0);
    expect(Number(run.stdout.trim())).toBe(459_300);
    fs.rmSync(file);
  });
});

describe('zeek logs', () => {
  /** Data rows of a Zeek log: every non-empty line that is not a `#` header. */
  function zeekRows(file: string): string[] {
    return rawLines(file).filter((line) => line !== '' && !line.startsWith('#'));
  }

  function tsvColumn(file: string, name: string): string[] {
    const fields = rawLines(file).find((line) => line.startsWith('#fields\t'));
    const column = (fields as string).split('\t').indexOf(name) - 1;
    return zeekRows(file).map((row) => row.split('\t')[column]);
  }

  it.each([
    ['001-zeek-scenario-malicious/labeled-conn.log.gz', { Background: 739, Malicious: 244, Benign: 9 }],
    ['008-zeek-mixed/data/conn.log.labeled.gz', { Malicious: 4201, Benign: 1402, Background: 60 }],
    ['010-zeek-mixed/data/conn.log.labeled.gz', { Malicious: 3373, Benign: 1937, Background: 37 }],
    ['011-zeek-mixed/data/conn.log.labeled.gz', { Benign: 4771, Malicious: 3951, Background: 326 }],
    ['012-zeek-mixed/data/conn.log.labeled.gz', { Malicious: 3028, Benign: 782, Background: 930 }],
    ['../slips-test18-ctu-sme-11/conn.log.labeled.gz', { Malicious: 719, Benign: 44, Unknown: 3 }],
  ])('decodes every row of the labelled conn log %s with its labels', async (name, labels) => {
    const file = path.join(zeek, name);
    const results = await decodeAll('zeek', 'flow', file);
    expect(results.length).toBe(zeekRows(file).length);
    expect(results.every((r) => r.ok)).toBe(true);
    expectDistinctRecords(results);
    const flows = docs<FlowEvent>(results);
    expect(countBy(flows, (f) => f.spothreat.label)).toEqual(labels);
    expect(countBy(flows, (f) => f.spothreat.label)).toEqual(countBy(tsvColumn(file, 'label'), (l) => l));
    expect(flows.map((f) => f.source.ip)).toEqual(tsvColumn(file, 'id.orig_h'));
    expect(flows.map((f) => f.destination.port)).toEqual(tsvColumn(file, 'id.resp_p').map(Number));
    expect(flows.map((f) => f.event.action)).toEqual(tsvColumn(file, 'conn_state'));
  });

  it('decodes a JSON-lines conn log row for row', async () => {
    const file = path.join(zeek, '002-zeek-scenario-port-scanning/conn.log.gz');
    const raw = zeekRows(file).map((line) => JSON.parse(line));
    const results = await decodeAll('zeek', 'flow', file);
    expect(results.length).toBe(raw.length);
    expect(raw.length).toBe(4504);
    const flows = docs<FlowEvent>(results);
    expect(flows.length).toBe(raw.length);
    flows.forEach((flow, i) => {
      expect(flow.source.ip).toBe(raw[i]['id.orig_h']);
      expect(flow.destination.port).toBe(raw[i]['id.resp_p']);
      expect(flow.destination.packets).toBe(raw[i].resp_pkts);
      expect(Date.parse(flow['@timestamp'])).toBe(Math.floor(raw[i].ts * 1000));
    });
  });

  it('decodes dns logs, rejecting exactly the rows that have no query name', async () => {
    for (const name of ['009-zeek-malicious/data/dns.log.labeled.gz', '005-zeek-scenario-malicious/dns.log.gz', '003-zeek-scenario-malicious/dns.log.gz']) {
      const file = path.join(zeek, name);
      const results = await decodeAll('zeek', 'dns', file);
      const queries = tsvColumn(file, 'query');
      expect(results.length).toBe(queries.length);
      const unset = queries.flatMap((q, i) => (q === '-' ? [i] : []));
      expect(results.flatMap((r, i) => (r.ok ? [] : [i]))).toEqual(unset);
      expect(results.filter((r) => !r.ok).every((r) => !r.ok && /: query is unset$/.test(r.reason))).toBe(true);
      const answered = docs<DnsEvent>(results);
      // Zeek escapes non-printable bytes as \xNN; the names are compared as bytes read as UTF-8.
      const asUtf8 = (q: string) =>
        Buffer.concat(q.split(/(\\x[0-9a-fA-F]{2})/).map((p) => (p.startsWith('\\x') ? Buffer.from([parseInt(p.slice(2), 16)]) : Buffer.from(p)))).toString();
      expect(answered.map((d) => d.dns.question.name)).toEqual(queries.filter((q) => q !== '-').map(asUtf8));
    }
    const kovter = docs<DnsEvent>(await decodeAll('zeek', 'dns', path.join(zeek, '009-zeek-malicious/data/dns.log.labeled.gz')));
    expect(countBy(kovter, (d) => d.spothreat.label)).toEqual({ Background: 18998 - 5, Benign: 5177, Malicious: 6 });
    // Simda: 517 NOERROR and 129 NXDOMAIN rows; 12 of the NOERROR rows carry no question and are rejected.
    const simdaFile = path.join(zeek, '005-zeek-scenario-malicious/dns.log.gz');
    const simda = docs<DnsEvent>(await decodeAll('zeek', 'dns', simdaFile));
    const rcodes = tsvColumn(simdaFile, 'rcode_name').filter((_, i) => tsvColumn(simdaFile, 'query')[i] !== '-');
    expect(countBy(simda, (d) => d.dns.response_code ?? '-')).toEqual(countBy(rcodes, (r) => r));
    expect(countBy(simda, (d) => d.dns.response_code)).toMatchObject({ NOERROR: 517 - 12, NXDOMAIN: 129 });
  });

  it('decodes http logs as proxy events, TSV and JSON, rejecting exactly the rows without a URI', async () => {
    for (const name of ['008-zeek-mixed/data/http.log.labeled.gz', '009-zeek-malicious/data/http.log.labeled.gz', '005-zeek-scenario-malicious/http.log.gz']) {
      const file = path.join(zeek, name);
      const uris = tsvColumn(file, 'uri');
      const results = await decodeAll('zeek', 'proxy', file);
      expect(results.length).toBe(uris.length);
      expect(results.filter((r) => !r.ok).length).toBe(uris.filter((u) => u === '-').length);
      expect(docs<ProxyEvent>(results).map((d) => d.url.original)).toEqual(uris.filter((u) => u !== '-'));
    }
    const jsonFile = path.join(zeek, '007-zeek-scenario-ssh-infected/http.log.gz');
    const raw = zeekRows(jsonFile).map((line) => JSON.parse(line));
    const results = await decodeAll('zeek', 'proxy', jsonFile);
    expect(results.length).toBe(6721);
    expect(results.filter((r) => !r.ok).length).toBe(raw.filter((r) => r.uri === undefined).length);
    const withUri = raw.filter((r) => r.uri !== undefined);
    expect(docs<ProxyEvent>(results).map((d) => [d.source.ip, d.url.original, d.http.response.status_code ?? 0])).toEqual(
      withUri.map((r) => [r['id.orig_h'], r.uri, r.status_code ?? 0]),
    );
  });
});

describe('pcap DNS through tshark', () => {
  it.each([
    [path.join(data, 'dns-tunnel-netrack', 'dns2tcp_2018-03-23-11-08-11.pcap.gz'), 4533],
    [path.join(data, 'dns-tunnel-netrack', 'iodine_elastic-examples.pcap.gz'), 212],
    [path.join(slips, 'test7-malicious.pcap.gz'), 56],
    [path.join(slips, 'test-cc-capture-2.pcap.gz'), 248],
    [path.join(slips, 'test-cc-capture-1.pcap.gz'), 0],
    [path.join(slips, 'malicious-ssh-bruteforce.pcap.gz'), 0],
  ])('decodes as many responses from %s as tshark finds', async (file, expected) => {
    const independent = stdoutLines('tshark', ['-r', file, '-n', '-Y', 'dns.flags.response==1']).length;
    expect(independent).toBe(expected);
    const results = await decodeAll('pcap', 'dns', file);
    expect(results.length).toBe(independent);
    expect(results.every((r) => r.ok)).toBe(true);
    expectDistinctRecords(results);
  });

  it('names the client as the destination of the response and numbers records by frame', async () => {
    const file = path.join(data, 'dns-tunnel-netrack', 'iodine_elastic-examples.pcap.gz');
    const fields = stdoutLines('tshark', ['-r', file, '-n', '-Y', 'dns.flags.response==1', '-T', 'fields', '-e', 'frame.number', '-e', 'ip.src', '-e', 'ip.dst', '-e', 'dns.qry.name', '-e', 'udp.dstport']);
    const events = docs<DnsEvent>(await decodeAll('pcap', 'dns', file));
    events.forEach((event, i) => {
      const [frame, server, client, name, clientPort] = fields[i].split('\t');
      expect(event.spothreat.record).toBe(Number(frame));
      expect(event.source).toEqual({ ip: client, port: Number(clientPort) });
      expect(event.destination.ip).toBe(server);
      expect(event.dns.question.name).toBe(name);
    });
    expect(events[0].dns.question).toMatchObject({ name: 'vaaaakardli.pirate.sea', type: 'NULL', class: 'IN' });
  });
});

describe('argus binetflow', () => {
  it.each(['test2-malicious', 'test3-mixed', 'test4-malicious', 'test11-portscan', 'test5-mixed'])(
    'decodes every row of %s.binetflow, rejecting only non-IP records',
    async (name) => {
      const file = path.join(slips, `${name}.binetflow.gz`);
      const lines = rawLines(file);
      const separator = lines[0].includes('\t') ? '\t' : ',';
      const rows = lines.slice(1).map((line) => line.split(separator));
      const results = await decodeAll('argus', 'flow', file);
      expect(results.length).toBe(rows.length);
      const nonIp = rows.flatMap((row, i) => (['arp', 'llc', 'man'].includes(row[2]) ? [i] : []));
      expect(results.flatMap((r, i) => (r.ok ? [] : [i]))).toEqual(nonIp);
      const flows = docs<FlowEvent>(results);
      const ipRows = rows.filter((row) => !['arp', 'llc', 'man'].includes(row[2]));
      expect(flows.map((f) => [f.source.ip, f.destination.ip, f.network.bytes])).toEqual(ipRows.map((row) => [row[3], row[6], Number(row[12])]));
    },
  );

  it('keeps the Stratosphere labels of the labelled file', async () => {
    const flows = docs<FlowEvent>(await decodeAll('argus', 'flow', path.join(slips, 'test5-mixed.binetflow.gz')));
    const labels = countBy(flows, (f) => f.spothreat.label);
    expect(labels['flow=Malware-UDP-DNS']).toBe(197);
    expect(labels['flow=Malware-TCP']).toBe(80);
  });
});

describe('cicflowmeter', () => {
  it.each([
    ['feb14_Bruteforce-Wednesday-14-02-2018_sample6053.csv.gz', { Benign: 3000, 'SSH-Bruteforce': 3000, 'FTP-BruteForce': 53 }, 77],
    ['feb20_DDoS1-Tuesday-20-02-2018_sample6000.csv.gz', { Benign: 3000, 'DDoS attacks-LOIC-HTTP': 3000 }, 77],
    ['feb14+feb20_sample_flows_18000rows_36feat.csv.gz', { Benign: 6000, 'DDoS attacks-LOIC-HTTP': 6000, 'SSH-Bruteforce': 6000 }, 36],
  ])('decodes %s with every feature and its Label, with placeholder IPs and time', async (name, labels, featureCount) => {
    const file = path.join(cic, name);
    const lines = rawLines(file);
    const results = await decodeAll('cicflowmeter', 'flow', file);
    expect(results.length).toBe(lines.length - 1);
    expect(results.every((r) => r.ok)).toBe(true);
    const flows = docs<FlowEvent>(results);
    expect(countBy(flows, (f) => f.spothreat.label)).toEqual(labels);
    expect(flows.every((f) => Object.keys(f.flow_features ?? {}).length === featureCount)).toBe(true);
    expect(flows.every((f) => f.source.ip === '0.0.0.0' && f.tags?.includes('placeholder_ip') && f.tags.includes('placeholder_timestamp'))).toBe(true);
    const header = lines[0].split(',');
    const row = lines[1].split(',');
    expect(flows[0].flow_features?.flow_duration).toBe(Number(row[header.indexOf('Flow Duration')]));
  });

  it('decodes the improved all-days edition with its IPs, ports and timestamps', async () => {
    const file = path.join(cic, 'improved_all-days_toy_dataset_5000rows.csv.gz');
    const lines = rawLines(file);
    const header = lines[0].split(',');
    const rows = lines.slice(1).map((line) => line.split(','));
    const flows = docs<FlowEvent>(await decodeAll('cicflowmeter', 'flow', file));
    expect(flows.length).toBe(5000);
    expect(countBy(flows, (f) => f.spothreat.label)).toMatchObject({ BENIGN: 2500, 'DoS Hulk': 1275, 'DDoS-HOIC': 765, 'Botnet Ares': 101 });
    const at = (name: string) => header.indexOf(name);
    expect(flows.map((f) => [f.source.ip, f.source.port, f.destination.ip, f.destination.port])).toEqual(
      rows.map((r) => [r[at('Src IP')], Number(r[at('Src Port')]), r[at('Dst IP')], Number(r[at('Dst Port')])]),
    );
    expect(flows[0]['@timestamp']).toBe(`${rows[0][at('Timestamp')].slice(0, 19).replace(' ', 'T')}.${rows[0][at('Timestamp')].slice(20, 23)}Z`);
    expect(flows.every((f) => f.tags === undefined)).toBe(true);
  });
});
