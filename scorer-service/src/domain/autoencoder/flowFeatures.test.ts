import type { FlowEvent } from '../events';
import { FeatureMatrix } from './featureMatrix';
import { appendFlowFeatures, FLOW_FEATURE_NAMES, featureNamesIn, flowFeaturesOf } from './flowFeatures';

function event(overrides: Partial<FlowEvent> = {}): FlowEvent {
  return {
    '@timestamp': '2024-03-04T10:00:00.000Z',
    event: { kind: 'event', category: ['network'], type: ['connection'], dataset: 'spothreat.flow', duration: 2_500_000_000 },
    source: { ip: '10.0.0.1', port: 51000, packets: 10, bytes: 1000 },
    destination: { ip: '192.0.2.1', port: 443, packets: 8, bytes: 8000 },
    network: { transport: 'tcp', iana_number: '6' },
    netflow: { tcp_control_bits: 0b011011 },
    spothreat: { format: 'nfdump-csv', file: 'f', record: 1 },
    ...overrides,
  };
}

function features(doc: FlowEvent): Record<string, number> {
  const result = flowFeaturesOf(doc);
  if (!result.ok) throw new Error(result.reason);
  const present = new Set(featureNamesIn(result.row.present));
  return Object.fromEntries(FLOW_FEATURE_NAMES.filter((name) => present.has(name)).map((name) => [name, result.row.values[FLOW_FEATURE_NAMES.indexOf(name)]]));
}

function reasonOf(doc: FlowEvent): string {
  const result = flowFeaturesOf(doc);
  if (result.ok) throw new Error('expected a rejection');
  return result.reason;
}

describe('flow features of an ECS flow', () => {
  it('maps protocol one-hot, TCP flag bits, ports and log-scaled quantities', () => {
    const f = features(event());
    expect(Object.keys(f)).toHaveLength(18);
    expect(f).toMatchObject({ protocol_tcp: 1, protocol_udp: 0, protocol_icmp: 0, source_port: 51000, destination_port: 443 });
    // 0b011011 = FIN | SYN | PSH | ACK
    expect(f).toMatchObject({ flag_fin: 1, flag_syn: 1, flag_rst: 0, flag_psh: 1, flag_ack: 1, flag_urg: 0 });
    expect(f.log_duration_seconds).toBeCloseTo(Math.log1p(2.5), 12);
    expect(f.log_source_bytes).toBeCloseTo(Math.log1p(1000), 12);
    expect(f.log_destination_packets).toBeCloseTo(Math.log1p(8), 12);
    expect(f.log_source_bytes_per_packet).toBeCloseTo(Math.log1p(100), 12);
    expect(f.log_destination_bytes_per_packet).toBeCloseTo(Math.log1p(1000), 12);
  });

  it('reads CICFlowMeter flag counters as presence when there are no flag bits', () => {
    const f = features(event({ netflow: undefined, flow_features: { fin_flag_count: 0, syn_flag_count: 3, psh_flag_count: 1, ack_flag_count: 0 } }));
    expect(f).toMatchObject({ flag_fin: 0, flag_syn: 1, flag_psh: 1, flag_ack: 0 });
    expect(f).not.toHaveProperty('flag_rst');
    expect(f).not.toHaveProperty('flag_urg');
  });

  it('derives SYN/ACK/FIN/RST from a Zeek connection state and leaves PSH and URG absent', () => {
    const zeek = event({ netflow: undefined, spothreat: { format: 'zeek', file: 'conn.log', record: 3 } });
    zeek.event.action = 'REJ';
    const f = features(zeek);
    expect(f).toMatchObject({ flag_syn: 1, flag_rst: 1, flag_ack: 0, flag_fin: 0 });
    expect(f).not.toHaveProperty('flag_psh');
    expect(f).not.toHaveProperty('flag_urg');
  });

  it('knows that non-TCP flows carry no TCP flags', () => {
    const f = features(event({ network: { transport: 'udp' }, netflow: undefined }));
    expect(f).toMatchObject({ protocol_udp: 1, flag_syn: 0, flag_ack: 0, flag_psh: 0, flag_urg: 0 });
  });

  it('leaves absent ports absent instead of inventing port 0', () => {
    const f = features(event({ source: { ip: '0.0.0.0', packets: 3, bytes: 120 }, destination: { ip: '0.0.0.0', packets: 1, bytes: 0 } }));
    expect(f).not.toHaveProperty('source_port');
    expect(f).not.toHaveProperty('destination_port');
    expect(f.log_destination_bytes_per_packet).toBe(0);
  });

  it('gives a packetless direction a mean packet size of 0, not NaN', () => {
    const f = features(event({ destination: { ip: '192.0.2.1', port: 443, packets: 0, bytes: 0 } }));
    expect(f.log_destination_bytes_per_packet).toBe(0);
  });

  it.each([
    ['negative bytes', { source: { ip: '10.0.0.1', port: 1, packets: 1, bytes: -5 } }, 'source.bytes is negative (-5)'],
    ['NaN packets', { destination: { ip: '10.0.0.2', port: 1, packets: NaN, bytes: 1 } }, 'destination.packets is not a number (NaN)'],
    ['infinite duration', { event: { kind: 'event', category: [], type: [], dataset: 'x', duration: Infinity } }, 'event.duration is not finite (Infinity)'],
    ['a fractional port', { source: { ip: '10.0.0.1', port: 80.5, packets: 1, bytes: 1 } }, 'source.port must be an integer 0..65535 (80.5)'],
    ['an unknown Zeek state', { spothreat: { format: 'zeek', file: 'c', record: 1 }, netflow: undefined, event: { kind: 'event', category: [], type: [], dataset: 'x', action: 'XYZ' } }, 'Zeek conn_state "XYZ" is not one Zeek documents'],
  ] as [string, Partial<FlowEvent>, string][])('rejects %s with the reason', (_what, overrides, reason) => {
    expect(reasonOf(event(overrides))).toBe(reason);
  });
});

describe('appendFlowFeatures(event, matrix)', () => {
  it('writes the same row as flowFeaturesOf in place, appends nothing for a bad flow, and reuses a cleared matrix', () => {
    const flows = [event(), event({ network: { transport: 'udp', iana_number: '17' } }), event({ source: { ip: '10.0.0.1', port: 51000 } })];
    const matrix = new FeatureMatrix(FLOW_FEATURE_NAMES.length, 1);
    for (const order of [flows, [...flows].reverse()]) {
      order.forEach((flow, i) => {
        const appended = appendFlowFeatures(flow, matrix);
        expect(appended).toEqual({ ok: true, row: i });
      });
      const bad = appendFlowFeatures(event({ source: { ip: '10.0.0.1', port: 51000, bytes: -1 } }), matrix);
      expect(bad).toEqual({ ok: false, reason: 'source.bytes is negative (-1)' });
      expect(matrix.rows).toBe(flows.length);
      order.forEach((flow, i) => {
        const alone = flowFeaturesOf(flow);
        if (!alone.ok) throw new Error(alone.reason);
        expect(matrix.row(i)).toEqual(alone.row);
      });
      // The second round writes over the first's rows in reverse: a feature absent now must not keep its old value.
      matrix.clear();
    }
  });
});
