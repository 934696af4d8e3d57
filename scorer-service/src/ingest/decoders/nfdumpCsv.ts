import type { DecodeResult } from '../decoder';
import { buildFlowEvent, provenanceOf, transportOf } from './flowEvent';
import {
  FormatError,
  RecordError,
  columnIndex,
  isIp,
  isoFromDateTime,
  parseCount,
  parseDurationSeconds,
  parsePort,
  quote,
  requireIp,
} from './fields';
import { FieldSplitter } from './fieldSplitter';
import { type LineParser, textDecoder } from './lineDecoder';


/** What Debian's nfdump 1.7.1 prints for `-o csv`; also the layout assumed for a file saved with `-q` (no header). */
export const NFDUMP_171_CSV_COLUMNS =
  'ts,te,td,sa,da,sp,dp,pr,flg,fwd,stos,ipkt,ibyt,opkt,obyt,in,out,sas,das,smk,dmk,dtos,dir,nh,nhb,svln,dvln,' +
  'ismc,odmc,idmc,osmc,mpls1,mpls2,mpls3,mpls4,mpls5,mpls6,mpls7,mpls8,mpls9,mpls10,cl,sl,al,ra,eng,exid,tr';

/** Apache Spot's spot-nfdump fork: 27 columns led by the received time `tr` and its split parts. */
export const SPOT_NFDUMP_CSV_COLUMNS = 'tr,try,trm,trd,trh,trm,trs,td,sa,da,sp,dp,pr,flg,fwd,stos,ipkt,ibyt,opkt,obyt,in,out,sas,das,dtos,dir,ra';

interface Columns {
  width: number;
  start: number;
  startName: string;
  end: number;
  duration: number;
  sourceIp: number;
  destinationIp: number;
  sourcePort: number;
  destinationPort: number;
  protocol: number;
  flags: number;
  inPackets: number;
  inBytes: number;
  outPackets: number;
  outBytes: number;
  exporter: number;
}

function columnsOf(header: string): Columns {
  const names = header.split(',');
  const index = columnIndex(names);
  const at = (name: string): number => index.get(name) ?? -1;
  // Stock nfdump leads with the first-seen time `ts`; spot-nfdump only has the received time `tr`.
  const startName = index.has('ts') ? 'ts' : 'tr';
  const columns: Columns = {
    width: names.length,
    start: at(startName),
    startName,
    end: at('te'),
    duration: at('td'),
    sourceIp: at('sa'),
    destinationIp: at('da'),
    sourcePort: at('sp'),
    destinationPort: at('dp'),
    protocol: at('pr'),
    flags: at('flg'),
    inPackets: at('ipkt'),
    inBytes: at('ibyt'),
    outPackets: at('opkt'),
    outBytes: at('obyt'),
    exporter: at('ra'),
  };
  const missing = [startName, 'sa', 'da', 'pr'].filter((name) => !index.has(name));
  if (missing.length > 0) throw new FormatError(`nfdump csv header lacks ${missing.join(', ')}: ${quote(header)}`);
  return columns;
}

function looksLikeHeader(line: string): boolean {
  return (line.startsWith('ts,') || line.startsWith('tr,')) && line.includes(',sa,') && line.includes(',da,');
}

// Flag letters in the order nfdump prints them; 1.7 prints eight (CWR and ECE first), older releases six.
const FLAG_BITS_8 = [0x80, 0x40, 0x20, 0x10, 0x08, 0x04, 0x02, 0x01];
const FLAG_BITS_6 = [0x20, 0x10, 0x08, 0x04, 0x02, 0x01];
const flagCache = new Map<string, number>();

/** nfdump's TCP flag string (`...A.R..`, `.AP.SF`, or hex `0x12`) as the bit mask ECS/netflow stores. */
export function tcpFlagsOf(text: string): number {
  const cached = flagCache.get(text);
  if (cached !== undefined) return cached;
  let bits = 0;
  if (text.startsWith('0x') && /^0x[0-9a-fA-F]{1,2}$/.test(text)) {
    bits = parseInt(text.slice(2), 16);
  } else {
    const table = text.length === 8 ? FLAG_BITS_8 : text.length === 6 ? FLAG_BITS_6 : undefined;
    if (!table) throw new RecordError(`TCP flags (flg) ${quote(text)} are not nfdump flags`);
    for (let i = 0; i < table.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 46) continue;
      if (c < 65 || c > 90) throw new RecordError(`TCP flags (flg) ${quote(text)} are not nfdump flags`);
      bits |= table[i];
    }
  }
  if (flagCache.size < 1024) flagCache.set(text, bits);
  return bits;
}

function optionalCount(fields: FieldSplitter, column: number, what: string): number | undefined {
  return column === -1 ? undefined : parseCount(fields.get(column), what);
}

/**
 * Reads nfdump's CSV: the header names the columns (stock 1.7 or Spot's 27-column layout), a file without a
 * header is taken as stock 1.7 when its first line has that many fields, and the summary block nfdump appends
 * without `-q` (`Summary`, its header, one line of totals) is not a flow. Times are read as UTC (nfdump prints
 * local time, so run it with TZ=UTC, as the nfcapd decoder does).
 */
export class NfdumpCsvParser implements LineParser {
  private columns: Columns | undefined;
  private readonly fields = new FieldSplitter(',');
  private lastTimeText = '';
  private lastTime = '';
  private summaryLinesLeft = 0;
  /** Flow count nfdump printed in its summary, when the input had one. */
  summaryFlows: number | undefined;
  /** Record lines seen so far, decoded or rejected. */
  records = 0;

  constructor(
    private readonly file: string,
    private readonly format: string,
  ) {}

  parse(line: string, lineNumber: number): DecodeResult | undefined {
    if (this.summaryLinesLeft > 0) {
      this.summaryLinesLeft--;
      if (this.summaryLinesLeft === 0) this.readSummary(line);
      return undefined;
    }
    if (line.length === 0 || line === 'No matching flows') return undefined;
    if (line === 'Summary') {
      this.summaryLinesLeft = 2;
      return undefined;
    }
    if (looksLikeHeader(line)) {
      this.columns = columnsOf(line);
      return undefined;
    }
    if (this.columns === undefined) {
      if (line.split(',').length !== NFDUMP_171_CSV_COLUMNS.split(',').length) {
        throw new FormatError(
          `not nfdump csv: expected a header starting "ts,te,td,sa,da" (or Spot's "tr,try,trm"), or a headerless ` +
            `${NFDUMP_171_CSV_COLUMNS.split(',').length}-column nfdump 1.7 record; got ${quote(line)}`,
        );
      }
      this.columns = columnsOf(NFDUMP_171_CSV_COLUMNS);
    }
    this.records++;
    return { ok: true, record: lineNumber, doc: this.toEvent(line, lineNumber) };
  }

  /**
   * nfdump prints whole seconds, and flows come roughly in time order, so most records repeat the last
   * time seen (and most end in the second they start): the last conversion is reused.
   */
  private isoTime(text: string, what: string): string {
    if (text !== this.lastTimeText) {
      this.lastTime = isoFromDateTime(text, what);
      this.lastTimeText = text;
    }
    return this.lastTime;
  }

  private readSummary(line: string): void {
    const flows = line.split(',')[0];
    if (/^\d+$/.test(flows)) this.summaryFlows = Number(flows);
  }

  private toEvent(line: string, record: number) {
    const c = this.columns as Columns;
    const f = this.fields;
    const width = f.split(line);
    if (width !== c.width) throw new RecordError(`has ${width} comma-separated fields, the header has ${c.width}`);
    const timestamp = this.isoTime(f.get(c.start), `start time (${c.startName})`);
    const protocol = transportOf(f.get(c.protocol));
    const exporter = c.exporter === -1 ? undefined : f.get(c.exporter);
    return buildFlowEvent(
      {
        timestamp,
        end: c.end === -1 ? undefined : this.isoTime(f.get(c.end), 'end time (te)'),
        durationNs: c.duration === -1 ? undefined : parseDurationSeconds(f.get(c.duration), 'duration (td)'),
        sourceIp: requireIp(f.get(c.sourceIp), 'source address (sa)'),
        destinationIp: requireIp(f.get(c.destinationIp), 'destination address (da)'),
        sourcePort: c.sourcePort === -1 ? undefined : parsePort(f.get(c.sourcePort), 'source port (sp)'),
        destinationPort: c.destinationPort === -1 ? undefined : parsePort(f.get(c.destinationPort), 'destination port (dp)'),
        protocol,
        tcpFlags: c.flags === -1 || protocol.iana_number !== '6' ? undefined : tcpFlagsOf(f.get(c.flags)),
        sourcePackets: optionalCount(f, c.inPackets, 'input packets (ipkt)'),
        sourceBytes: optionalCount(f, c.inBytes, 'input bytes (ibyt)'),
        destinationPackets: optionalCount(f, c.outPackets, 'output packets (opkt)'),
        destinationBytes: optionalCount(f, c.outBytes, 'output bytes (obyt)'),
        // nfdump prints 0.0.0.0 when the exporter is not known: that is absence, not an address.
        exporter: exporter !== undefined && exporter !== '0.0.0.0' && exporter !== '::' && isIp(exporter) ? exporter : undefined,
      },
      provenanceOf(this.format, this.file, record),
    );
  }
}

export const nfdumpCsvDecoder = textDecoder('nfdump-csv', ['flow'], (file) => new NfdumpCsvParser(file, 'nfdump-csv'));
