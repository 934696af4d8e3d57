import { createHash } from 'node:crypto';
import type { FlowEvent } from '../../domain/events';
import type { DnsEvent, ProxyEvent } from '../../domain/events';
import { NfdumpCsvParser } from '../../ingest/decoders/nfdumpCsv';
import { squidDecoder } from '../../ingest/decoders/squid';
import { decodeContent } from '../../ingest/decoders/testSupport';
import { zeekDecoder } from '../../ingest/decoders/zeek';
import { ATTACK_NAMES } from './attacks/common';
import { DEFAULT_OPTIONS, generateDemoDay, validateOptions, type DemoDayOptions } from './day';
import type { LabelEntry, SinkFactory } from './dayWriter';
import { ZEEK_DNS_LAYOUT, ZEEK_HTTP_LAYOUT } from './formats';
import { isNonPublicIpv4, ipv4ToNumber, parseIpv4Range } from './ipv4';
import { SUBNETS } from './network';

const SMALL: DemoDayOptions = { ...DEFAULT_OPTIONS, seed: 7, events: 20_000, hosts: 120 };

/** Keeps every file's lines in memory: for days small enough to inspect whole. */
function memoryFiles(): { files: Map<string, string[]>; open: SinkFactory } {
  const files = new Map<string, string[]>();
  return {
    files,
    open: (path) => {
      const lines: string[] = [];
      files.set(path, lines);
      return { line: (text) => lines.push(text), close: () => undefined };
    },
  };
}

/** Hashes every file instead of keeping it. */
function hashedFiles(): { digests: Map<string, string>; open: SinkFactory } {
  const digests = new Map<string, string>();
  return {
    digests,
    open: (path) => {
      const hash = createHash('sha256');
      return { line: (text) => hash.update(`${text}\n`), close: () => digests.set(path, hash.digest('hex')) };
    },
  };
}

function records(lines: string[]): string[] {
  return lines.filter((line) => !line.startsWith('#') && !line.startsWith('ts,'));
}

const INTERNAL = SUBNETS.map((s) => parseIpv4Range(s.cidr));
const isInternal = (ip: string) => INTERNAL.some((r) => ipv4ToNumber(ip) >= r.first && ipv4ToNumber(ip) < r.first + r.size);

describe('the generated day', () => {
  const small = memoryFiles();
  const summary = generateDemoDay(SMALL, small.open);
  const all = (prefix: string) => [...small.files.entries()].filter(([path]) => path.startsWith(prefix));

  it('is byte-identical for the same seed and different for another seed', () => {
    const first = hashedFiles();
    const second = hashedFiles();
    const other = hashedFiles();
    generateDemoDay(SMALL, first.open);
    generateDemoDay(SMALL, second.open);
    generateDemoDay({ ...SMALL, seed: 8 }, other.open);
    expect([...first.digests.entries()]).toEqual([...second.digests.entries()]);
    expect(first.digests.get('labels.jsonl')).not.toBe(other.digests.get('labels.jsonl'));
  });

  it('comes close to the requested number of events and counts exactly what it wrote', () => {
    const written = { flow: 0, dns: 0, proxy: 0 };
    for (const [path, lines] of small.files) {
      const type = path.split('/')[0] as keyof typeof written;
      if (type in written) written[type] += records(lines).length;
    }
    expect(summary.counts).toMatchObject(written);
    expect(summary.counts.total).toBe(written.flow + written.dns + written.proxy);
    expect(Math.abs(summary.counts.total - SMALL.events) / SMALL.events).toBeLessThan(0.02);
    expect(written.dns).toBeGreaterThan(0.05 * summary.counts.total);
    expect(written.proxy).toBeGreaterThan(0.1 * summary.counts.total);
  });

  it('splits each data type into hourly files named by their hour', () => {
    expect(summary.files.flow).toContain('flow/nfcapd.202503111000.csv');
    expect(summary.files.dns).toContain('dns/dns.2025-03-11-10.log');
    expect(summary.files.proxy).toContain('proxy/http.2025-03-11-10.log');
    expect(summary.files.flow.length).toBeGreaterThanOrEqual(20);
    for (const [path, lines] of all('dns/')) {
      expect(lines[0]).toBe('#separator \\x09');
      expect(lines[lines.length - 1]).toMatch(/^#close\t2025-03-1[12]-\d\d-00-00$/);
      expect(path).toMatch(/^dns\/dns\.2025-03-11-\d\d\.log$/);
    }
  });

  it('writes every file in time order, within the day', () => {
    const dayStart = Date.parse('2025-03-11T00:00:00Z') / 1000;
    for (const [path, lines] of [...all('dns/'), ...all('proxy/')]) {
      const times = records(lines).map((line) => Number(line.split('\t')[0]));
      for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThanOrEqual(times[i - 1]);
      expect(times.every((t) => t >= dayStart && t < dayStart + 86400)).toBe(true);
      expect(path).toBeDefined();
    }
  });

  it('is busier in office hours than at night', () => {
    const perHour = (hour: string) => records(small.files.get(`flow/nfcapd.20250311${hour}00.csv`) ?? []).length;
    expect(perHour('10')).toBeGreaterThan(4 * perHour('03'));
    expect(perHour('03')).toBeGreaterThan(0);
  });

  it('writes flows that the nfdump-csv decoder reads without a single rejection', () => {
    let decoded = 0;
    for (const [path, lines] of all('flow/')) {
      const parser = new NfdumpCsvParser(path, 'nfdump-csv');
      lines.forEach((line, i) => {
        const result = parser.parse(line, i + 1);
        if (result === undefined) return;
        if (!result.ok) throw new Error(`${path}:${i + 1} rejected: ${result.reason}`);
        const doc = result.doc as FlowEvent;
        // Every flow has at least one internal end; external ends are public addresses.
        expect(isInternal(doc.source.ip) || isInternal(doc.destination.ip)).toBe(true);
        for (const ip of [doc.source.ip, doc.destination.ip]) if (!isInternal(ip)) expect(isNonPublicIpv4(ipv4ToNumber(ip))).toBe(false);
        decoded++;
      });
    }
    expect(decoded).toBe(summary.counts.flow);
  });

  it('labels every attack record in the labels file and, in Zeek logs, in the record itself', () => {
    const labels = (small.files.get('labels.jsonl') ?? []).map((line) => JSON.parse(line) as LabelEntry);
    expect(labels.length).toBe(Object.values(summary.counts.attacks).reduce((a, b) => a + b, 0));
    expect(new Set(labels.map((l) => l.attack))).toEqual(new Set(ATTACK_NAMES));
    for (const label of labels) {
      const line = (small.files.get(label.file) ?? [])[label.line - 1];
      expect(line).toBeDefined();
      if (label.data_type === 'flow') {
        const fields = line.split(',');
        expect([fields[3], fields[5], fields[4], fields[6]]).toEqual([label['source.ip'], String(label['source.port']), label['destination.ip'], String(label['destination.port'])]);
      } else {
        const layout = label.data_type === 'dns' ? ZEEK_DNS_LAYOUT : ZEEK_HTTP_LAYOUT;
        const fields = line.split('\t');
        expect(fields[layout.fields.indexOf('label')]).toBe('Malicious');
        expect(fields[layout.fields.indexOf('detailedlabel')]).toBe(label.attack);
        expect(fields[layout.fields.indexOf('id.orig_h')]).toBe(label['source.ip']);
        if (label.data_type === 'dns') expect(fields[layout.fields.indexOf('query')]).toBe(label['dns.question.name']);
      }
    }
  });

  it('writes DNS and proxy logs the zeek decoder reads without rejection, labels and identities included', async () => {
    const labels = new Map((small.files.get('labels.jsonl') ?? []).map((line) => { const l = JSON.parse(line) as LabelEntry; return [`${l.file}:${l.line}`, l]; }));
    let decoded = 0;
    for (const [path, lines] of [...all('dns/'), ...all('proxy/')]) {
      const dataType = path.startsWith('dns/') ? 'dns' : 'proxy';
      for (const result of await decodeContent(zeekDecoder, dataType, `${lines.join('\n')}\n`, path.split('/')[1])) {
        if (!result.ok) throw new Error(`${path}:${result.record} rejected: ${result.reason}`);
        decoded++;
        const label = labels.get(`${path}:${result.record}`);
        const doc = result.doc as DnsEvent | ProxyEvent;
        expect(doc.spothreat.label).toBe(label ? 'Malicious' : 'Benign');
        if (!label) continue;
        expect(doc.spothreat.label_detail).toBe(label.attack);
        expect([doc['@timestamp'], doc.source.ip]).toEqual([label['@timestamp'], label['source.ip']]);
        if (dataType === 'dns') expect((doc as DnsEvent).dns.question.name).toBe(label['dns.question.name']);
        else expect((doc as ProxyEvent).url.original).toBe(label['url.original']);
      }
    }
    expect(decoded).toBe(summary.counts.dns + summary.counts.proxy);
  });

  it('leaves benign records labelled benign in the Zeek logs', () => {
    const labelled = new Set((small.files.get('labels.jsonl') ?? []).map((line) => { const l = JSON.parse(line) as LabelEntry; return `${l.file}:${l.line}`; }));
    for (const [path, lines] of all('dns/')) {
      lines.forEach((line, i) => {
        if (line.startsWith('#')) return;
        const label = line.split('\t')[ZEEK_DNS_LAYOUT.fields.indexOf('label')];
        expect(label).toBe(labelled.has(`${path}:${i + 1}`) ? 'Malicious' : 'Benign');
      });
    }
  });

  it('writes only the attacks asked for, and Squid access logs the squid decoder reads when asked', async () => {
    const squid = memoryFiles();
    const result = generateDemoDay({ ...SMALL, events: 5000, attacks: ['beaconing-c2'], proxyFormat: 'squid' }, squid.open);
    expect(Object.keys(result.counts.attacks)).toEqual(['beaconing-c2']);
    expect(result.files.proxy[0]).toMatch(/^proxy\/access\.2025-03-11-\d\d\.log$/);
    const labels = (squid.files.get('labels.jsonl') ?? []).map((line) => JSON.parse(line) as LabelEntry).filter((l) => l.data_type === 'proxy');
    expect(labels.length).toBeGreaterThan(0);
    let decoded = 0;
    for (const path of result.files.proxy) {
      const byLine = new Map(labels.filter((l) => l.file === path).map((l) => [l.line, l]));
      for (const r of await decodeContent(squidDecoder, 'proxy', `${(squid.files.get(path) ?? []).join('\n')}\n`)) {
        if (!r.ok) throw new Error(`${path}:${r.record} rejected: ${r.reason}`);
        decoded++;
        const label = byLine.get(r.record);
        if (label) expect((r.doc as ProxyEvent).url.original).toBe(label['url.original']);
      }
    }
    expect(decoded).toBe(result.counts.proxy);
  });

  it('holds at most the configured number of records in memory however large the day', () => {
    const cap = 500;
    const larger = generateDemoDay({ ...SMALL, events: 60_000, maxQueuedRecords: cap }, hashedFiles().open);
    // A minute's sessions are queued before the cap applies; at this size that is well under 400 records.
    expect(larger.peakQueuedRecords).toBeLessThan(cap + 400);
    expect(summary.peakQueuedRecords).toBeLessThan(cap + 400);
    expect(larger.counts.total).toBeGreaterThan(59_000);
  });

  it('streams: the files of an hour are written and closed before those of the next hour are opened', () => {
    const events: string[] = [];
    generateDemoDay({ ...SMALL, events: 5000 }, (path) => {
      events.push(`open ${path}`);
      return { line: () => undefined, close: () => events.push(`close ${path}`) };
    });
    const flowEvents = events.filter((e) => e.includes(' flow/'));
    expect(flowEvents.slice(0, 3)).toEqual(['open flow/nfcapd.202503110000.csv', 'close flow/nfcapd.202503110000.csv', 'open flow/nfcapd.202503110100.csv']);
    expect(events.filter((e) => e.startsWith('open ')).length).toBe(events.filter((e) => e.startsWith('close ')).length);
  });

  it('rejects bad options with every problem listed', () => {
    expect(validateOptions({ ...SMALL, events: 5, hosts: 2, day: '2025-02-30', attacks: ['phishing' as never] })).toEqual([
      expect.stringMatching(/^events must be/),
      expect.stringMatching(/^hosts must be/),
      expect.stringMatching(/^day must be/),
      expect.stringMatching(/^unknown attacks: phishing/),
    ]);
    expect(() => generateDemoDay({ ...SMALL, events: 5 }, hashedFiles().open)).toThrow(/events must be/);
  });

  it('refuses a size the chosen attacks alone fill, naming a size that works, instead of writing a day of attacks only', () => {
    expect(() => generateDemoDay({ ...SMALL, events: 2000 }, hashedFiles().open)).toThrow(/attacks alone take \d+ records.*at least \d+ events.*port-scan/);
    expect(() => generateDemoDay({ ...SMALL, events: 2000, attacks: ['beaconing-c2', 'dga'] }, hashedFiles().open)).not.toThrow();
  });
});
