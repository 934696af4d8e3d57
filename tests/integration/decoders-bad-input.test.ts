// Decoders on damaged and wrong input built from the real shared data: truncated files, garbage lines, a file
// given under the wrong format, huge fields, bytes that are not UTF-8, empty files. Each case either ends in
// one clear error naming the file, or accounts for every record with a document or a rejection and a reason.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import type { DataType, FlowEvent, ProxyEvent } from '../../scorer-service/src/domain/events';
import type { DecodeResult } from '../../scorer-service/src/ingest/decoder';
import { DEFAULT_MAX_LINE_LENGTH } from '../../scorer-service/src/ingest/lineReader';
import { FORMATS, getDecoder } from '../../scorer-service/src/ingest/registry';

jest.setTimeout(300_000);

const repo = path.resolve(__dirname, '..', '..');
const data = path.join(repo, '..', 'shared', 'data');
const slips = path.join(data, 'stratosphere-slips-netflow-pcap');
const conn = path.join(data, 'stratosphere-zeek-labeled', 'security-datasets-for-testing', '008-zeek-mixed', 'data', 'conn.log.labeled.gz');
const nfcapd = path.join(slips, 'test1-malicious.nfcapd');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'spothreat-bad-input-'));

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

async function decodeAll(format: string, dataType: DataType, file: string): Promise<DecodeResult[]> {
  const results: DecodeResult[] = [];
  for await (const result of getDecoder(format).decode(file, dataType, { file: path.basename(file) })) results.push(result);
  return results;
}

function write(name: string, content: string | Buffer): string {
  const file = path.join(work, name);
  fs.writeFileSync(file, content);
  return file;
}

function gunzip(file: string): string {
  return zlib.gunzipSync(fs.readFileSync(file)).toString('utf8');
}

const connText = gunzip(conn);
const connLines = connText.split('\n').filter((line) => line !== '');
const connRows = connLines.filter((line) => !line.startsWith('#'));
const SQUID_LINE = '1286536309.450    193 192.168.0.224 TCP_MISS/200 1052 GET http://www.google.com/ - DIRECT/74.125.39.99 text/html';

describe('empty input', () => {
  it.each(FORMATS.map((format) => [format]))('gives no records and no error for an empty %s file, plain or gzipped', async (format) => {
    const dataType = getDecoder(format).dataTypes[0];
    expect(await decodeAll(format, dataType, write(`empty-${format}`, ''))).toEqual([]);
    expect(await decodeAll(format, dataType, write(`empty-${format}.gz`, zlib.gzipSync('')))).toEqual([]);
  });
});

describe('truncated input', () => {
  it('keeps every row a truncated gzip file still holds and ends with one rejection saying it was cut short', async () => {
    const whole = fs.readFileSync(conn);
    const file = write('truncated-conn.log.gz', whole.subarray(0, Math.floor(whole.length / 2)));
    // What survives, decompressed independently with a sync flush: complete rows plus one partial row.
    const prefix = zlib.gunzipSync(fs.readFileSync(file), { finishFlush: zlib.constants.Z_SYNC_FLUSH }).toString('utf8');
    const surviving = prefix.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
    const results = await decodeAll('zeek', 'flow', file);
    expect(results.length).toBe(surviving.length + 1);
    expect(results.filter((r) => r.ok).length).toBe(surviving.length - 1);
    expect(results[results.length - 2]).toMatchObject({ ok: false, reason: expect.stringMatching(/tab-separated fields, #fields names 23$/) });
    expect(results[results.length - 1]).toMatchObject({ ok: false, reason: expect.stringMatching(/reading stopped: the gzip data ends early \(the file is truncated\)$/) });
  });

  it('rejects a plain file whose last line is cut mid-record, with its reason and raw text', async () => {
    const cut = connText.slice(0, connText.indexOf('\n', connText.length / 2) + 40);
    const results = await decodeAll('zeek', 'flow', write('cut-conn.log', cut));
    const rows = cut.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
    expect(results.length).toBe(rows.length);
    const last = results[results.length - 1];
    expect(last.ok).toBe(false);
    expect(!last.ok && last.raw).toBe(rows[rows.length - 1]);
  });

  it('fails a truncated nfcapd file as a whole with what nfdump said', async () => {
    const file = write('truncated.nfcapd', fs.readFileSync(nfcapd).subarray(0, 200_000));
    await expect(decodeAll('nfcapd', 'flow', file)).rejects.toThrow(/^truncated\.nfcapd: nfdump could not decode it: nfdump exited with code 0: .*Short read/);
  });

  it('keeps the flows nfdump decodes from a damaged multi-block nfcapd file and ends with a rejection carrying its error', async () => {
    // Twenty copies of the real capture merged by nfdump itself give a file of several blocks; one block is then damaged.
    const dir = fs.mkdtempSync(path.join(work, 'nfcapd-'));
    for (let i = 10; i < 30; i++) fs.copyFileSync(nfcapd, path.join(dir, `nfcapd.2018011215${i}`));
    const merged = path.join(work, 'merged.nfcapd');
    expect(spawnSync('nfdump', ['-R', dir, '-w', merged]).status).toBe(0);
    const bytes = Buffer.from(fs.readFileSync(merged));
    bytes.fill(0xff, Math.floor(bytes.length / 2), Math.floor(bytes.length / 2) + 4096);
    const damaged = write('damaged.nfcapd', bytes);
    const independent = spawnSync('nfdump', ['-r', damaged, '-q', '-o', 'csv'], { encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, TZ: 'UTC' } });
    expect(independent.status).not.toBe(0);
    const printed = independent.stdout.split('\n').filter((line) => line !== '').length;
    const results = await decodeAll('nfcapd', 'flow', damaged);
    expect(results.length).toBe(printed + 1);
    expect(results[results.length - 1]).toMatchObject({
      ok: false,
      record: printed + 1,
      reason: expect.stringMatching(new RegExp(`^flow ${printed + 1}: decoding stopped after ${printed} flows: nfdump exited with code ${independent.status}: `)),
    });
  });

  it('keeps the DNS responses before the cut of a truncated pcap and ends with a rejection', async () => {
    const pcap = zlib.gunzipSync(fs.readFileSync(path.join(slips, 'test-cc-capture-2.pcap.gz')));
    const file = write('truncated.pcap', pcap.subarray(0, 50_000));
    const independent = spawnSync('tshark', ['-r', file, '-n', '-Y', 'dns.flags.response==1'], { encoding: 'utf8' });
    const printed = independent.stdout.split('\n').filter((line) => line !== '').length;
    expect(independent.status).toBe(2);
    const results = await decodeAll('pcap', 'dns', file);
    expect(results.length).toBe(printed + 1);
    expect(results.slice(0, -1).every((r) => r.ok)).toBe(true);
    expect(results[results.length - 1]).toMatchObject({ ok: false, reason: expect.stringContaining('appears to have been cut short in the middle of a packet') });
  });
});

describe('garbage lines', () => {
  it('rejects each garbage line with its reason and decodes the real rows around them as if they were alone', async () => {
    const garbage = ['garbage', '\t\t\t', '1655071198.444458\tC\tnot-an-ip\t1\t2.2.2.2\t2', '{"ts":', 'x'.repeat(5000), '\u0000\u0001\u0002'];
    const mixed = [...connLines.slice(0, 8)];
    connRows.forEach((row, i) => {
      mixed.push(row);
      if (i % 500 === 0) mixed.push(garbage[(i / 500) % garbage.length]);
    });
    const results = await decodeAll('zeek', 'flow', write('garbage-conn.log', mixed.join('\n')));
    const garbageCount = Math.ceil(connRows.length / 500);
    expect(results.length).toBe(connRows.length + garbageCount);
    const rejected = results.filter((r) => !r.ok);
    expect(rejected.length).toBe(garbageCount);
    expect(rejected.every((r) => !r.ok && /^line \d+: \S/.test(r.reason) && r.raw !== undefined)).toBe(true);
    const clean = await decodeAll('zeek', 'flow', conn);
    const strip = (r: DecodeResult) => (r.ok ? { ...r.doc, spothreat: undefined } : r);
    expect(results.filter((r) => r.ok).map(strip)).toEqual(clean.map(strip));
  });
});

describe('a file given under the wrong format', () => {
  it('fails header formats as a whole with the file and line: a Zeek log as nfdump-csv, cicflowmeter or argus', async () => {
    await expect(decodeAll('nfdump-csv', 'flow', conn)).rejects.toThrow(/^conn\.log\.labeled\.gz: line 1: not nfdump csv/);
    await expect(decodeAll('cicflowmeter', 'flow', conn)).rejects.toThrow(/^conn\.log\.labeled\.gz: line 1: not a CICFlowMeter CSV/);
    await expect(decodeAll('argus', 'flow', conn)).rejects.toThrow(/^conn\.log\.labeled\.gz: line 1: not an Argus binetflow file/);
  });

  it('fails Zeek on nfdump csv, and a conn log read as DNS', async () => {
    await expect(decodeAll('zeek', 'flow', path.join(slips, 'test1-malicious.nfdump-o-csv.csv.gz'))).rejects.toThrow(/line 1: not a Zeek log/);
    await expect(decodeAll('zeek', 'dns', conn)).rejects.toThrow(/line 7: this Zeek log \(its #path is conn\) is not a dns log as dns needs: #fields lacks query/);
  });

  it('fails binary formats on text and text formats on binary', async () => {
    await expect(decodeAll('pcap', 'dns', conn)).rejects.toThrow(/^conn\.log\.labeled\.gz: not a pcap or pcapng capture \(it starts with the bytes 23 73 65 70\)/);
    await expect(decodeAll('nfcapd', 'flow', conn)).rejects.toThrow(/^conn\.log\.labeled\.gz: nfdump could not decode it/);
    await expect(decodeAll('zeek', 'flow', nfcapd)).rejects.toThrow(/not a Zeek log/);
  });

  it('rejects every line of a Zeek log read as Squid or Bluecoat, each with a reason (headerless formats judge line by line)', async () => {
    for (const format of ['squid', 'bluecoat']) {
      const results = await decodeAll(format, 'proxy', conn);
      const expected = format === 'bluecoat' ? connRows.length : connLines.length;
      expect(results.length).toBe(expected);
      expect(results.every((r) => !r.ok && /^line \d+: /.test(r.reason))).toBe(true);
    }
  });

  it('refuses a data type the format cannot carry before reading', () => {
    expect(() => getDecoder('squid').decode(conn, 'flow', { file: 'conn' })).toThrow('format squid carries proxy events, not flow');
  });
});

describe('huge fields', () => {
  it('rejects a line over the cap with its length, keeps its start, and carries on', async () => {
    const huge = `${connRows[0].slice(0, 40)}${'A'.repeat(DEFAULT_MAX_LINE_LENGTH + 10)}`;
    const text = [...connLines.slice(0, 8), connRows[0], huge, connRows[1]].join('\n');
    const results = await decodeAll('zeek', 'flow', write('huge-line.log', text));
    expect(results.map((r) => r.ok)).toEqual([true, false, true]);
    const [, rejected] = results;
    expect(!rejected.ok && rejected.reason).toBe(`line 10: ${huge.length} characters long, over the limit of ${DEFAULT_MAX_LINE_LENGTH}; only its start is kept`);
    expect(!rejected.ok && rejected.raw.length).toBeLessThan(10_000);
  });

  it('rejects an over-long last line that has no newline', async () => {
    const results = await decodeAll('squid', 'proxy', write('huge-tail.log', `${SQUID_LINE}\n${'B'.repeat(DEFAULT_MAX_LINE_LENGTH * 2)}`));
    expect(results.map((r) => r.ok)).toEqual([true, false]);
  });

  it('quotes a long bad field in a short reason', async () => {
    const row = connRows[0].split('\t');
    row[2] = '9'.repeat(100_000);
    const results = await decodeAll('zeek', 'flow', write('long-field.log', [...connLines.slice(0, 8), row.join('\t')].join('\n')));
    expect(results[0].ok).toBe(false);
    expect(!results[0].ok && results[0].reason.length).toBeLessThan(200);
    expect(!results[0].ok && results[0].reason).toContain('(100000 characters)');
  });
});

describe('bytes that are not UTF-8', () => {
  it('decodes them as U+FFFD: a URL keeps its record, an address field is rejected with the raw text', async () => {
    const badUrl = Buffer.concat([Buffer.from(SQUID_LINE.replace('www.google.com/', 'www.google.com/caf')), Buffer.from([0xe9, 0xff])]);
    const badUrlLine = Buffer.concat([badUrl.subarray(0, badUrl.indexOf(' - DIRECT') - 2), Buffer.from([0xe9, 0xff]), Buffer.from(' - DIRECT/74.125.39.99 text/html')]);
    const badClient = Buffer.from(SQUID_LINE.replace('192.168.0.224', '192.168.0.22X'));
    badClient[badClient.indexOf('X')] = 0xfe;
    const results = await decodeAll('squid', 'proxy', write('latin1.log', Buffer.concat([badUrlLine, Buffer.from('\n'), badClient, Buffer.from('\n')])));
    expect(results.map((r) => r.ok)).toEqual([true, false]);
    expect((results[0] as { doc: ProxyEvent }).doc.url.original).toContain('\uFFFD');
    expect(results[1]).toMatchObject({ ok: false, reason: 'line 2: client address "192.168.0.22\uFFFD" is not an IPv4 or IPv6 address' });
    expect(!results[1].ok && results[1].raw).toContain('192.168.0.22\uFFFD');
  });
});

describe('line endings', () => {
  it('reads a CRLF file exactly as the LF original', async () => {
    const lf = gunzip(path.join(slips, 'test2-malicious.binetflow.gz'));
    const crlf = write('crlf.binetflow', lf.replace(/\n/g, '\r\n'));
    const [fromLf, fromCrlf] = [await decodeAll('argus', 'flow', write('lf.binetflow', lf)), await decodeAll('argus', 'flow', crlf)];
    const strip = (r: DecodeResult) => (r.ok ? { ...(r.doc as FlowEvent), spothreat: undefined } : r);
    expect(fromCrlf.map(strip)).toEqual(fromLf.map(strip));
    expect(fromCrlf.length).toBe(6751);
  });
});
