import type { FlowEvent } from '../../domain/events';
import type { DecodeResult } from '../decoder';
import { FormatError, RecordError, isoFromDateTime, quote, requireIp } from './fields';
import { FieldSplitter } from './fieldSplitter';
import { buildFlowEvent, provenanceOf, transportOf } from './flowEvent';
import { type LineParser, textDecoder } from './lineDecoder';


/**
 * Placeholders for flows from CIC editions that dropped IPs and time (the cleaned CSE-CIC-IDS2018 samples
 * have only features and Label). Rejecting them would make those files unusable for the autoencoder, whose
 * input is the features; so they get the IPv4 unspecified address and the Unix epoch, and the document is
 * tagged so that a per-IP view can leave them out. Only a column that is missing from the header gets a
 * placeholder: an empty or bad value in a column that exists is rejected like any other bad value.
 */
export const PLACEHOLDER_IP = '0.0.0.0';
export const PLACEHOLDER_TIMESTAMP = '1970-01-01T00:00:00.000Z';
export const PLACEHOLDER_IP_TAG = 'placeholder_ip';
export const PLACEHOLDER_TIMESTAMP_TAG = 'placeholder_timestamp';
/** A feature that was NaN or Infinity (CIC-IDS2017 `Flow Bytes/s` of zero-length flows): JSON cannot hold it. */
export const NON_FINITE_FEATURE_TAG = 'non_finite_feature';

/** Header names of the same column across CIC-IDS2017, CSE-CIC-IDS2018 and the "improved" 2018 edition. */
const ALIASES = {
  sourceIp: ['source ip', 'src ip'],
  destinationIp: ['destination ip', 'dst ip'],
  sourcePort: ['source port', 'src port'],
  destinationPort: ['destination port', 'dst port'],
  protocol: ['protocol'],
  timestamp: ['timestamp'],
  duration: ['flow duration'],
  forwardPackets: ['total fwd packets', 'tot fwd pkts', 'total fwd packet'],
  backwardPackets: ['total backward packets', 'tot bwd pkts', 'total bwd packets'],
  forwardBytes: ['total length of fwd packets', 'totlen fwd pkts', 'fwd packets length total', 'total length of fwd packet'],
  backwardBytes: ['total length of bwd packets', 'totlen bwd pkts', 'bwd packets length total', 'total length of bwd packet'],
  label: ['label'],
} as const;

/** Columns that identify a flow or carry ground truth: never features. */
const NOT_FEATURES = new Set(['flow id', 'id', 'source ip', 'src ip', 'destination ip', 'dst ip', 'timestamp', 'label', 'attempted category']);

type Role = keyof typeof ALIASES;

interface Layout {
  width: number;
  roles: Partial<Record<Role, number>>;
  /** Column index and document key of every numeric feature. */
  features: { column: number; key: string }[];
}

/** `Flow Bytes/s` -> `flow_bytes_per_s`: keys that read well in OpenSearch and in code. */
export function featureKey(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/\//g, '_per_')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

function layoutOf(header: string): Layout {
  const names = header.split(',').map((name) => name.trim().toLowerCase());
  const roles: Partial<Record<Role, number>> = {};
  for (const role of Object.keys(ALIASES) as Role[]) {
    const column = names.findIndex((name) => (ALIASES[role] as readonly string[]).includes(name));
    if (column !== -1) roles[role] = column;
  }
  const seen = new Map<string, number>();
  const features: Layout['features'] = [];
  header.split(',').forEach((name, column) => {
    if (NOT_FEATURES.has(name.trim().toLowerCase())) return;
    const base = featureKey(name);
    // CIC-IDS2017 repeats `Fwd Header Length`; the second copy keeps its own key.
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    features.push({ column, key: n === 1 ? base : `${base}_${n}` });
  });
  return { width: names.length, roles, features };
}

const DAY_FIRST = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.(\d+))?(?: ?([AaPp][Mm]))?$/;

/**
 * CIC timestamps: `14/02/2018 08:31:01` (2018), `3/7/2017 8:55` (2017, day first) or ISO-like `2018-03-02
 * 16:46:12.972385` (improved edition). CIC gives no zone; they are read as UTC. Some CIC-IDS2017 files use a
 * 12-hour clock without AM/PM; that cannot be undone here and is read as written.
 */
export function isoFromCicTimestamp(value: string): string {
  const text = value.trim();
  if (text.length >= 19 && text.charCodeAt(4) === 45) return isoFromDateTime(text, 'Timestamp');
  const match = DAY_FIRST.exec(text);
  if (!match) throw new RecordError(`Timestamp ${quote(value)} is not a CIC timestamp (DD/MM/YYYY HH:MM[:SS])`);
  const [, day, month, year, hourText, minute, second = '00', fraction = '', meridiem] = match;
  let hour = Number(hourText);
  if (meridiem !== undefined) {
    if (hour < 1 || hour > 12) throw new RecordError(`Timestamp ${quote(value)} has hour ${hour} with ${meridiem}`);
    hour = (hour % 12) + (meridiem.toLowerCase() === 'pm' ? 12 : 0);
  }
  const pad = (n: string | number) => String(n).padStart(2, '0');
  const iso = `${year}-${pad(month)}-${pad(day)} ${pad(hour)}:${minute}:${second}${fraction === '' ? '' : `.${fraction}`}`;
  return isoFromDateTime(iso, 'Timestamp');
}

function countOf(value: string, what: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < 0) throw new RecordError(`${what} ${quote(value)} is not a non-negative integer`);
  return n;
}

/**
 * CICFlowMeter CSVs (CIC-IDS2017 `MachineLearningCVE` / `TrafficLabelling`, CSE-CIC-IDS2018 and its
 * cleaned and improved editions), recognised by their header. Every numeric column other than identifiers
 * and labels goes into `flow_features` under a snake_case key; `Label` goes into provenance.
 */
class CicParser implements LineParser {
  private layout: Layout | undefined;
  private readonly fields = new FieldSplitter(',', 128);

  constructor(private readonly file: string) {}

  parse(line: string, lineNumber: number): DecodeResult | undefined {
    if (line.length === 0) return undefined;
    if (!/^\s*\d/.test(line) && /(^|,)\s*flow duration\s*(,|$)/i.test(line) && /(^|,)\s*protocol\s*(,|$)/i.test(line)) {
      this.layout = layoutOf(line);
      return undefined;
    }
    if (this.layout === undefined) {
      throw new FormatError(`not a CICFlowMeter CSV: expected a header with "Flow Duration" and "Protocol"; got ${quote(line)}`);
    }
    return { ok: true, record: lineNumber, doc: this.toEvent(this.layout, line, lineNumber) };
  }

  private toEvent(layout: Layout, line: string, record: number): FlowEvent {
    const f = this.fields;
    const width = f.split(line);
    if (width !== layout.width) throw new RecordError(`has ${width} comma-separated fields, the header has ${layout.width}`);
    const { roles } = layout;
    const text = (role: Role): string | undefined => (roles[role] === undefined ? undefined : f.get(roles[role] as number).trim());
    const tags: string[] = [];

    const features: Record<string, number> = {};
    for (const { column, key } of layout.features) {
      const raw = f.get(column).trim();
      const value = Number(raw);
      if (raw === '' || Number.isNaN(value)) {
        if (/^(nan|[+-]?inf(inity)?)$/i.test(raw)) {
          if (tags.length === 0) tags.push(NON_FINITE_FEATURE_TAG);
          continue;
        }
        throw new RecordError(`${key} ${quote(raw)} is not a number`);
      }
      if (!Number.isFinite(value)) {
        if (tags.length === 0) tags.push(NON_FINITE_FEATURE_TAG);
        continue;
      }
      features[key] = value;
    }

    const sourceIpText = text('sourceIp');
    const destinationIpText = text('destinationIp');
    if (sourceIpText === undefined || destinationIpText === undefined) tags.push(PLACEHOLDER_IP_TAG);
    const timestampText = text('timestamp');
    if (timestampText === undefined) tags.push(PLACEHOLDER_TIMESTAMP_TAG);
    const timestamp = timestampText === undefined ? PLACEHOLDER_TIMESTAMP : isoFromCicTimestamp(timestampText);
    const duration = text('duration');
    const durationMicros = duration === undefined ? undefined : Number(duration);
    if (durationMicros !== undefined && (!Number.isFinite(durationMicros) || durationMicros < 0 || duration === '')) {
      throw new RecordError(`Flow Duration ${quote(duration as string)} is not a non-negative number of microseconds`);
    }
    const optionalCount = (role: Role, what: string): number | undefined => {
      const value = text(role);
      return value === undefined ? undefined : countOf(value, what);
    };
    const port = (role: Role, what: string): number | undefined => {
      const value = optionalCount(role, what);
      if (value !== undefined && value > 65535) throw new RecordError(`${what} ${quote(String(value))} out of range`);
      return value;
    };
    const protocol = text('protocol');
    const label = text('label');
    return buildFlowEvent(
      {
        timestamp,
        durationNs: durationMicros === undefined ? undefined : Math.round(durationMicros * 1000),
        sourceIp: sourceIpText === undefined ? PLACEHOLDER_IP : requireIp(sourceIpText, 'Src IP'),
        destinationIp: destinationIpText === undefined ? PLACEHOLDER_IP : requireIp(destinationIpText, 'Dst IP'),
        sourcePort: port('sourcePort', 'Src Port'),
        destinationPort: port('destinationPort', 'Dst Port'),
        protocol: protocol === undefined || protocol === '' ? undefined : transportOf(protocol),
        sourcePackets: optionalCount('forwardPackets', 'Total Fwd Packets'),
        destinationPackets: optionalCount('backwardPackets', 'Total Backward Packets'),
        sourceBytes: optionalCount('forwardBytes', 'Total Length of Fwd Packets'),
        destinationBytes: optionalCount('backwardBytes', 'Total Length of Bwd Packets'),
        features,
        tags,
      },
      provenanceOf('cicflowmeter', this.file, record, label),
    );
  }
}

export const cicflowmeterDecoder = textDecoder('cicflowmeter', ['flow'], (file) => new CicParser(file));
