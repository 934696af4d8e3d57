import type { DataType } from '../../domain/events';
import {
  NFDUMP_CSV_HEADER,
  NfdumpCsvFormatter,
  ZEEK_DNS_LAYOUT,
  ZEEK_HTTP_LAYOUT,
  squidLine,
  squidUrl,
  zeekUri,
  zeekDnsLine,
  zeekFooter,
  zeekHeader,
  zeekHttpLine,
  zeekId,
} from './formats';
import type { DayRecord, DnsRecord, FlowRecord, ProxyRecord } from './records';

/**
 * Turns the day's records, in time order, into hourly files of each format plus the labels file. Writes through
 * sinks it is handed (files, memory, a hash), so the generator itself does no I/O.
 */

/** Where lines go: one sink per output file, opened by its path relative to the output folder. */
export interface LineSink {
  /** Appends one line; the sink adds the line break. */
  line(text: string): void;
  close(): void;
}

export type SinkFactory = (relativePath: string) => LineSink;

export type ProxyFormat = 'zeek' | 'squid';

/** The ingest format name (`spothreat ingest <type> --format <name>`) of each data type's files. */
export interface OutputFormats {
  flow: 'nfdump-csv';
  dns: 'zeek';
  proxy: ProxyFormat;
}

export const LABELS_FILE = 'labels.jsonl';

/** One labelled record: where it is (file and line) and the fields that identify it once ingested. */
export interface LabelEntry {
  data_type: DataType;
  file: string;
  line: number;
  '@timestamp': string;
  'source.ip': string;
  'source.port': number;
  'destination.ip': string;
  'destination.port': number;
  'network.transport': string;
  'dns.question.name'?: string;
  'url.original'?: string;
  attack: string;
}

interface OpenFile {
  hour: number;
  path: string;
  sink: LineSink;
  line: number;
}

const HOUR_SECONDS = 3600;

/** A file per hour of one data type: opened on its first record, closed (with its footer) when the hour turns. */
class HourlyFiles {
  readonly paths: string[] = [];
  count = 0;
  private current: OpenFile | undefined;

  constructor(
    private readonly open: SinkFactory,
    private readonly pathOf: (hourStartSeconds: number) => string,
    private readonly header: (hourStartSeconds: number) => readonly string[],
    private readonly footer: (hourEndSeconds: number) => string | undefined,
  ) {}

  /** Writes a line for a record of the given hour (seconds since the epoch of its hour's start); returns its line number. */
  write(hourStartSeconds: number, text: string): { path: string; line: number } {
    let file = this.current;
    // A record that comes in late (an earlier hour) joins the open file, as a rotated log would hold it.
    if (file === undefined || hourStartSeconds > file.hour) {
      this.closeCurrent();
      const path = this.pathOf(hourStartSeconds);
      const sink = this.open(path);
      const headerLines = this.header(hourStartSeconds);
      for (const headerLine of headerLines) sink.line(headerLine);
      file = { hour: hourStartSeconds, path, sink, line: headerLines.length };
      this.current = file;
      this.paths.push(path);
    }
    file.sink.line(text);
    file.line++;
    this.count++;
    return { path: file.path, line: file.line };
  }

  closeCurrent(): void {
    const file = this.current;
    if (file === undefined) return;
    const footer = this.footer(file.hour + HOUR_SECONDS);
    if (footer !== undefined) file.sink.line(footer);
    file.sink.close();
    this.current = undefined;
  }
}

function stampOf(hourStartSeconds: number): { date: string; compact: string; hour: string } {
  const date = new Date(hourStartSeconds * 1000).toISOString();
  return { date: date.slice(0, 10), compact: date.slice(0, 10).replace(/-/g, ''), hour: date.slice(11, 13) };
}

export class DayWriter {
  readonly formats: OutputFormats;
  readonly attackCounts = new Map<string, number>();
  private readonly flow: HourlyFiles;
  private readonly dns: HourlyFiles;
  private readonly proxy: HourlyFiles;
  private readonly labels: LineSink;
  private readonly nfdump: NfdumpCsvFormatter;
  private connectionSequence = 0;
  private fileSequence = 0;
  private readonly nextFileId = () => zeekId('F', this.fileSequence++, this.seed);

  constructor(
    open: SinkFactory,
    private readonly seed: number,
    exporter: string,
    proxyFormat: ProxyFormat,
  ) {
    this.formats = { flow: 'nfdump-csv', dns: 'zeek', proxy: proxyFormat };
    this.nfdump = new NfdumpCsvFormatter(exporter);
    this.flow = new HourlyFiles(
      open,
      (hour) => {
        const s = stampOf(hour);
        // nfcapd's own file naming: nfcapd.YYYYMMDDhhmm for the interval the file covers.
        return `flow/nfcapd.${s.compact}${s.hour}00.csv`;
      },
      () => [NFDUMP_CSV_HEADER],
      () => undefined,
    );
    this.dns = new HourlyFiles(open, (hour) => `dns/dns.${stampOf(hour).date}-${stampOf(hour).hour}.log`, (hour) => zeekHeader(ZEEK_DNS_LAYOUT, hour), zeekFooter);
    this.proxy =
      proxyFormat === 'zeek'
        ? new HourlyFiles(open, (hour) => `proxy/http.${stampOf(hour).date}-${stampOf(hour).hour}.log`, (hour) => zeekHeader(ZEEK_HTTP_LAYOUT, hour), zeekFooter)
        : new HourlyFiles(open, (hour) => `proxy/access.${stampOf(hour).date}-${stampOf(hour).hour}.log`, () => [], () => undefined);
    this.labels = open(LABELS_FILE);
  }

  write(record: DayRecord): void {
    const seconds = Math.floor(record.time / 1_000_000);
    const hour = seconds - (seconds % HOUR_SECONDS);
    switch (record.kind) {
      case 'flow': {
        const at = this.flow.write(hour, this.nfdump.line(record));
        if (record.attack !== undefined) this.label('flow', at, record, new Date(seconds * 1000).toISOString());
        return;
      }
      case 'dns': {
        const at = this.dns.write(hour, zeekDnsLine(record, zeekId('C', this.connectionSequence++, this.seed)));
        if (record.attack !== undefined) this.label('dns', at, record, millisIso(record.time));
        return;
      }
      case 'proxy': {
        const text =
          this.formats.proxy === 'zeek' ? zeekHttpLine(record, zeekId('C', this.connectionSequence++, this.seed), this.nextFileId) : squidLine(record);
        const at = this.proxy.write(hour, text);
        if (record.attack !== undefined) this.label('proxy', at, record, millisIso(record.time));
        return;
      }
    }
  }

  private label(dataType: DataType, at: { path: string; line: number }, record: DayRecord, timestamp: string): void {
    const attack = record.attack as string;
    this.attackCounts.set(attack, (this.attackCounts.get(attack) ?? 0) + 1);
    this.labels.line(JSON.stringify(labelEntry(dataType, at, record, timestamp, attack, this.formats.proxy)));
  }

  close(): { files: Record<DataType, string[]>; labelsFile: string; counts: Record<DataType, number> } {
    this.flow.closeCurrent();
    this.dns.closeCurrent();
    this.proxy.closeCurrent();
    this.labels.close();
    return {
      files: { flow: this.flow.paths, dns: this.dns.paths, proxy: this.proxy.paths },
      labelsFile: LABELS_FILE,
      counts: { flow: this.flow.count, dns: this.dns.count, proxy: this.proxy.count },
    };
  }
}

/** The time as decoders store it: ISO-8601 with milliseconds, the sub-millisecond part cut off. */
function millisIso(micros: number): string {
  return new Date(Math.floor(micros / 1000)).toISOString();
}

function labelEntry(dataType: DataType, at: { path: string; line: number }, record: DayRecord, timestamp: string, attack: string, proxyFormat: ProxyFormat): LabelEntry {
  const base = { data_type: dataType, file: at.path, line: at.line, '@timestamp': timestamp };
  switch (record.kind) {
    case 'flow':
      return flowLabel(base, record, attack);
    case 'dns':
      return dnsLabel(base, record, attack);
    case 'proxy':
      return proxyLabel(base, record, attack, proxyFormat);
  }
}

type LabelBase = Pick<LabelEntry, 'data_type' | 'file' | 'line' | '@timestamp'>;

function flowLabel(base: LabelBase, r: FlowRecord, attack: string): LabelEntry {
  return {
    ...base,
    'source.ip': r.sourceIp,
    'source.port': r.sourcePort,
    'destination.ip': r.destinationIp,
    'destination.port': r.destinationPort,
    'network.transport': r.transport.toLowerCase(),
    attack,
  };
}

function dnsLabel(base: LabelBase, r: DnsRecord, attack: string): LabelEntry {
  return {
    ...base,
    'source.ip': r.clientIp,
    'source.port': r.clientPort,
    'destination.ip': r.resolverIp,
    'destination.port': 53,
    'network.transport': 'udp',
    'dns.question.name': r.query,
    attack,
  };
}

function proxyLabel(base: LabelBase, r: ProxyRecord, attack: string, proxyFormat: ProxyFormat): LabelEntry {
  return {
    ...base,
    'source.ip': r.clientIp,
    'source.port': r.clientPort,
    'destination.ip': r.serverIp,
    'destination.port': r.serverPort,
    'network.transport': 'tcp',
    // What the decoder keeps as url.original: the uri column of http.log, the URL field of access.log.
    'url.original': proxyFormat === 'zeek' ? zeekUri(r) : squidUrl(r),
    attack,
  };
}
