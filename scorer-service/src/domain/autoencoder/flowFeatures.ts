import type { FlowEvent } from '../events';
import type { FeatureMatrix } from './featureMatrix';

/**
 * The autoencoder's input: the paper's 18 flow metrics (protocol and flags, ports, duration, number and size of
 * the packets in each direction), read from an ECS flow document.
 *
 * Counts, sizes and durations are heavy-tailed (one flow moves 40 bytes, the next 4 GB); scaled linearly to
 * [-1, 1] nearly every flow would sit at -1 and the network could not tell them apart, so those features are
 * log1p of the raw value. Flags are 0/1 presence. Protocol is one-hot over TCP/UDP/ICMP, because a protocol number
 * is a name, not a magnitude. Ports stay raw numbers, as in the paper.
 *
 * Bump FLOW_FEATURE_SCHEMA_VERSION whenever a feature's meaning or order changes: a model trained on one version
 * must never score rows of another (the model's metadata records the version it was trained with).
 */
export const FLOW_FEATURE_SCHEMA_VERSION = 1;

export const FLOW_FEATURE_NAMES = [
  'protocol_tcp',
  'protocol_udp',
  'protocol_icmp',
  'flag_fin',
  'flag_syn',
  'flag_rst',
  'flag_psh',
  'flag_ack',
  'flag_urg',
  'source_port',
  'destination_port',
  'log_duration_seconds',
  'log_source_packets',
  'log_source_bytes',
  'log_destination_packets',
  'log_destination_bytes',
  'log_source_bytes_per_packet',
  'log_destination_bytes_per_packet',
] as const;

export type FlowFeatureName = (typeof FLOW_FEATURE_NAMES)[number];
export const FLOW_FEATURE_COUNT = FLOW_FEATURE_NAMES.length;

/** Features stored as log1p of a raw value; the explanation turns them back into raw numbers. */
export const LOG_FEATURES: ReadonlySet<FlowFeatureName> = new Set(
  FLOW_FEATURE_NAMES.filter((name) => name.startsWith('log_')),
);

const index = (name: FlowFeatureName): number => FLOW_FEATURE_NAMES.indexOf(name);

/**
 * One flow as features. `present` has a bit per feature (bit i = feature i): a feature the source does not
 * record (the cleaned CIC edition has no ports; Zeek has no PSH/URG) is absent rather than invented as 0.
 * The values of absent features are 0 and must not be read.
 */
export interface FlowFeatureRow {
  values: Float64Array;
  present: number;
}

export type FlowFeatureResult = { ok: true; row: FlowFeatureRow } | { ok: false; reason: string };

/** Bits of ECS `netflow.tcp_control_bits` (the TCP header's flag bits). */
const TCP_BITS: Record<string, number> = { flag_fin: 1, flag_syn: 2, flag_rst: 4, flag_psh: 8, flag_ack: 16, flag_urg: 32 };

/** CICFlowMeter flag counters, as the cicflowmeter decoder keys them in `flow_features`. */
const CIC_FLAG_COUNTS: Record<string, string> = {
  flag_fin: 'fin_flag_count',
  flag_syn: 'syn_flag_count',
  flag_rst: 'rst_flag_count',
  flag_psh: 'psh_flag_count',
  flag_ack: 'ack_flag_count',
  flag_urg: 'urg_flag_count',
};

/**
 * Flags a Zeek connection state implies (Zeek's conn.log documentation of `conn_state`). PSH and URG cannot be
 * told from the state, so Zeek flows leave them absent.
 */
const ZEEK_STATE_FLAGS: Record<string, readonly string[]> = {
  S0: ['flag_syn'],
  S1: ['flag_syn', 'flag_ack'],
  SF: ['flag_syn', 'flag_ack', 'flag_fin'],
  REJ: ['flag_syn', 'flag_rst'],
  S2: ['flag_syn', 'flag_ack', 'flag_fin'],
  S3: ['flag_syn', 'flag_ack', 'flag_fin'],
  RSTO: ['flag_syn', 'flag_ack', 'flag_rst'],
  RSTR: ['flag_syn', 'flag_ack', 'flag_rst'],
  RSTOS0: ['flag_syn', 'flag_rst'],
  RSTRH: ['flag_syn', 'flag_ack', 'flag_rst'],
  SH: ['flag_syn', 'flag_fin'],
  SHR: ['flag_syn', 'flag_ack', 'flag_fin'],
  OTH: ['flag_ack'],
};

const ZEEK_KNOWN_FLAGS = ['flag_fin', 'flag_syn', 'flag_rst', 'flag_ack'] as const;
const FLAG_NAMES = ['flag_fin', 'flag_syn', 'flag_rst', 'flag_psh', 'flag_ack', 'flag_urg'] as const;

class FeatureError extends Error {}

function reject(reason: string): never {
  throw new FeatureError(reason);
}

/** A count, size or duration: absent stays absent; NaN, infinite or negative is a bad record. */
function quantity(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || Number.isNaN(value)) reject(`${field} is not a number (${String(value)})`);
  if (!Number.isFinite(value)) reject(`${field} is not finite (${value})`);
  if (value < 0) reject(`${field} is negative (${value})`);
  return value;
}

function port(value: unknown, field: string): number | undefined {
  const n = quantity(value, field);
  if (n !== undefined && (!Number.isInteger(n) || n > 65535)) reject(`${field} must be an integer 0..65535 (${n})`);
  return n;
}

type Protocol = 'tcp' | 'udp' | 'icmp' | 'other';

function protocolOf(event: FlowEvent): Protocol | undefined {
  const transport = event.network?.transport?.toLowerCase();
  const number = event.network?.iana_number;
  if (transport === 'tcp' || number === '6') return 'tcp';
  if (transport === 'udp' || number === '17') return 'udp';
  if (transport === 'icmp' || transport === 'ipv6-icmp' || number === '1' || number === '58') return 'icmp';
  if (transport !== undefined || number !== undefined) return 'other';
  return undefined;
}

/** Writes one row's features into a matrix's values at `offset`, and records which are present. */
class RowBuilder {
  present = 0;

  constructor(
    readonly values: Float64Array,
    private readonly offset: number,
  ) {}

  set(name: FlowFeatureName, value: number | undefined): void {
    if (value === undefined) return;
    const i = index(name);
    this.values[this.offset + i] = value;
    this.present |= 1 << i;
  }

  setLog(name: FlowFeatureName, value: number | undefined): void {
    this.set(name, value === undefined ? undefined : Math.log1p(value));
  }
}

function setFlags(row: RowBuilder, event: FlowEvent, protocol: Protocol | undefined): void {
  // TCP flags do not exist on other transports: there they are known to be 0, not unknown.
  if (protocol !== undefined && protocol !== 'tcp') {
    for (const flag of FLAG_NAMES) row.set(flag, 0);
    return;
  }
  const bits = event.netflow?.tcp_control_bits;
  if (bits !== undefined && bits !== null) {
    if (!Number.isInteger(bits) || bits < 0 || bits > 0xfff) reject(`netflow.tcp_control_bits must be an integer 0..4095 (${bits})`);
    for (const flag of FLAG_NAMES) row.set(flag, bits & TCP_BITS[flag] ? 1 : 0);
    return;
  }
  const features = event.flow_features;
  if (features !== undefined) {
    for (const flag of FLAG_NAMES) {
      const count = quantity(features[CIC_FLAG_COUNTS[flag]], `flow_features.${CIC_FLAG_COUNTS[flag]}`);
      if (count !== undefined) row.set(flag, count > 0 ? 1 : 0);
    }
  }
  const state = event.spothreat?.format === 'zeek' ? event.event?.action : undefined;
  if (state !== undefined && protocol === 'tcp') {
    const implied = ZEEK_STATE_FLAGS[state];
    if (implied === undefined) reject(`Zeek conn_state "${state}" is not one Zeek documents`);
    for (const flag of ZEEK_KNOWN_FLAGS) row.set(flag, implied.includes(flag) ? 1 : 0);
  }
}

function bytesPerPacket(bytes: number | undefined, packets: number | undefined): number | undefined {
  if (bytes === undefined || packets === undefined) return undefined;
  return packets === 0 ? 0 : bytes / packets;
}

/**
 * The 18 features of one flow, or why the flow cannot be scored. A present value that is NaN, infinite or
 * negative rejects the flow: scoring it as 0 would hide a broken record among the normal ones.
 */
export function flowFeaturesOf(event: FlowEvent): FlowFeatureResult {
  const row = new RowBuilder(new Float64Array(FLOW_FEATURE_COUNT), 0);
  try {
    fillRow(row, event);
    return { ok: true, row: { values: row.values, present: row.present } };
  } catch (error) {
    if (error instanceof FeatureError) return { ok: false, reason: error.message };
    throw error;
  }
}

/**
 * Appends a flow's features to `matrix` as its last row and returns that row's index, or the reason the flow has
 * none (then nothing is appended). The hot path of scoring: no row array per flow.
 */
export function appendFlowFeatures(event: FlowEvent, matrix: FeatureMatrix): { ok: true; row: number } | { ok: false; reason: string } {
  try {
    return {
      ok: true,
      row: matrix.appendWith((values, offset) => {
        const row = new RowBuilder(values, offset);
        fillRow(row, event);
        return row.present;
      }),
    };
  } catch (error) {
    if (error instanceof FeatureError) return { ok: false, reason: error.message };
    throw error;
  }
}

function fillRow(row: RowBuilder, event: FlowEvent): void {
  const protocol = protocolOf(event);
  if (protocol !== undefined) {
    row.set('protocol_tcp', protocol === 'tcp' ? 1 : 0);
    row.set('protocol_udp', protocol === 'udp' ? 1 : 0);
    row.set('protocol_icmp', protocol === 'icmp' ? 1 : 0);
  }
  setFlags(row, event, protocol);
  row.set('source_port', port(event.source?.port, 'source.port'));
  row.set('destination_port', port(event.destination?.port, 'destination.port'));
  const durationNs = quantity(event.event?.duration, 'event.duration');
  row.setLog('log_duration_seconds', durationNs === undefined ? undefined : durationNs / 1e9);
  const sourcePackets = quantity(event.source?.packets, 'source.packets');
  const sourceBytes = quantity(event.source?.bytes, 'source.bytes');
  const destinationPackets = quantity(event.destination?.packets, 'destination.packets');
  const destinationBytes = quantity(event.destination?.bytes, 'destination.bytes');
  row.setLog('log_source_packets', sourcePackets);
  row.setLog('log_source_bytes', sourceBytes);
  row.setLog('log_destination_packets', destinationPackets);
  row.setLog('log_destination_bytes', destinationBytes);
  row.setLog('log_source_bytes_per_packet', bytesPerPacket(sourceBytes, sourcePackets));
  row.setLog('log_destination_bytes_per_packet', bytesPerPacket(destinationBytes, destinationPackets));
}

/** Names of the features whose bit is set in `mask`. */
export function featureNamesIn(mask: number): FlowFeatureName[] {
  return FLOW_FEATURE_NAMES.filter((_name, i) => (mask & (1 << i)) !== 0);
}

export const ALL_FEATURES_MASK = (1 << FLOW_FEATURE_COUNT) - 1;
