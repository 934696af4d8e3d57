import type { FlowEvent } from '../../domain/events';
import type { DecodeResult } from '../decoder';
import {
  FormatError,
  RecordError,
  columnIndex,
  isoFromDateTime,
  parseCount,
  parseDurationSeconds,
  parsePortHexOrDecimal,
  quote,
  requireIp,
} from './fields';
import { FieldSplitter } from './fieldSplitter';
import { buildFlowEvent, provenanceOf, transportOf } from './flowEvent';
import { type LineParser, textDecoder } from './lineDecoder';


interface Columns {
  width: number;
  start: number;
  duration: number;
  protocol: number;
  sourceIp: number;
  sourcePort: number;
  destinationIp: number;
  destinationPort: number;
  state: number;
  totalPackets: number;
  totalBytes: number;
  sourceBytes: number;
  sourcePackets: number;
  label: number;
}

const REQUIRED_COLUMNS = ['StartTime', 'Proto', 'SrcAddr', 'DstAddr'];

/**
 * Argus binetflow files (`ra -s ...` output as CTU-13 and Stratosphere publish them): a header line names
 * the columns, comma-separated (`.binetflow`) or tab-separated (the separator is taken from the header).
 * Times are read as UTC. Ports may be hex (`0x0303`: Argus writes ICMP type and code that way) and are kept
 * as numbers, as nfdump keeps ICMP type/code in its port. Records whose addresses are not IP addresses (ARP
 * and LLC flows carry MAC addresses) are rejected with that reason: a flow document needs IPs.
 * Destination bytes/packets are totals minus the source's, when the source's are there.
 */
class ArgusParser implements LineParser {
  private columns: Columns | undefined;
  private fields = new FieldSplitter(',');

  constructor(private readonly file: string) {}

  parse(line: string, lineNumber: number): DecodeResult | undefined {
    if (line.length === 0) return undefined;
    if (line.startsWith('StartTime')) {
      this.header(line);
      return undefined;
    }
    if (this.columns === undefined) {
      throw new FormatError(`not an Argus binetflow file: expected a header line "StartTime,Dur,Proto,SrcAddr,..."; got ${quote(line)}`);
    }
    return { ok: true, record: lineNumber, doc: this.toEvent(this.columns, lineNumber, line) };
  }

  private header(line: string): void {
    const separator = line.indexOf('\t') !== -1 ? '\t' : ',';
    this.fields = new FieldSplitter(separator);
    const names = line.split(separator).map((name) => name.trim());
    const index = columnIndex(names);
    const missing = REQUIRED_COLUMNS.filter((name) => !index.has(name));
    if (missing.length > 0) throw new FormatError(`Argus header lacks ${missing.join(', ')}: ${quote(line)}`);
    const at = (name: string): number => index.get(name) ?? -1;
    this.columns = {
      width: names.length,
      start: at('StartTime'),
      duration: at('Dur'),
      protocol: at('Proto'),
      sourceIp: at('SrcAddr'),
      sourcePort: at('Sport'),
      destinationIp: at('DstAddr'),
      destinationPort: at('Dport'),
      state: at('State'),
      totalPackets: at('TotPkts'),
      totalBytes: at('TotBytes'),
      sourceBytes: at('SrcBytes'),
      sourcePackets: at('SrcPkts'),
      label: at('Label'),
    };
  }

  private text(column: number): string {
    return column === -1 ? '' : this.fields.get(column).trim();
  }

  private count(column: number, what: string): number | undefined {
    const value = this.text(column);
    return value === '' ? undefined : parseCount(value, what);
  }

  private port(column: number, what: string): number | undefined {
    const value = this.text(column);
    return value === '' ? undefined : parsePortHexOrDecimal(value, what);
  }

  private toEvent(c: Columns, record: number, line: string): FlowEvent {
    const width = this.fields.split(line);
    if (width !== c.width) throw new RecordError(`has ${width} fields, the header has ${c.width}`);
    const protocolName = this.text(c.protocol);
    const sourceText = this.text(c.sourceIp);
    if (protocolName === 'arp' || protocolName === 'llc' || protocolName === 'man' || protocolName === 'rarp') {
      throw new RecordError(`protocol ${quote(protocolName)} is not IP (source ${quote(sourceText)}): no IP flow to record`);
    }
    const totalBytes = this.count(c.totalBytes, 'TotBytes');
    const totalPackets = this.count(c.totalPackets, 'TotPkts');
    const sourceBytes = this.count(c.sourceBytes, 'SrcBytes');
    const sourcePackets = this.count(c.sourcePackets, 'SrcPkts');
    if (totalBytes !== undefined && sourceBytes !== undefined && sourceBytes > totalBytes) {
      throw new RecordError(`SrcBytes ${sourceBytes} exceeds TotBytes ${totalBytes}`);
    }
    if (totalPackets !== undefined && sourcePackets !== undefined && sourcePackets > totalPackets) {
      throw new RecordError(`SrcPkts ${sourcePackets} exceeds TotPkts ${totalPackets}`);
    }
    const duration = this.text(c.duration);
    const label = this.text(c.label);
    return buildFlowEvent(
      {
        timestamp: isoFromDateTime(this.text(c.start), 'StartTime'),
        durationNs: duration === '' ? undefined : parseDurationSeconds(duration, 'Dur'),
        sourceIp: requireIp(sourceText, 'SrcAddr'),
        sourcePort: this.port(c.sourcePort, 'Sport'),
        destinationIp: requireIp(this.text(c.destinationIp), 'DstAddr'),
        destinationPort: this.port(c.destinationPort, 'Dport'),
        protocol: transportOf(protocolName),
        sourceBytes,
        sourcePackets,
        destinationBytes: totalBytes !== undefined && sourceBytes !== undefined ? totalBytes - sourceBytes : undefined,
        destinationPackets: totalPackets !== undefined && sourcePackets !== undefined ? totalPackets - sourcePackets : undefined,
        totalBytes,
        totalPackets,
        action: this.text(c.state) || undefined,
      },
      provenanceOf('argus', this.file, record, label),
    );
  }
}

export const argusDecoder = textDecoder('argus', ['flow'], (file) => new ArgusParser(file));
