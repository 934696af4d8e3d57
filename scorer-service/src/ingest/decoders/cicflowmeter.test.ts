import type { FlowEvent } from '../../domain/events';
import {
  NON_FINITE_FEATURE_TAG,
  PLACEHOLDER_IP,
  PLACEHOLDER_IP_TAG,
  PLACEHOLDER_TIMESTAMP,
  PLACEHOLDER_TIMESTAMP_TAG,
  cicflowmeterDecoder,
  featureKey,
  isoFromCicTimestamp,
} from './cicflowmeter';
import { decodeContent, docsOf, rejectionsOf } from './testSupport';

// CIC-IDS2017 TrafficLabelling layout (leading spaces, a repeated column), shortened.
const HEADER_2017 =
  'Flow ID, Source IP, Source Port, Destination IP, Destination Port, Protocol, Timestamp, Flow Duration, Total Fwd Packets,' +
  ' Total Backward Packets,Total Length of Fwd Packets, Total Length of Bwd Packets,Flow Bytes/s, Fwd Header Length, Fwd Header Length, Label';
const ROW_2017 = '192.168.10.5-104.16.207.165-54865-443-6,192.168.10.5,54865,104.16.207.165,443,6,3/7/2017 8:55,3,2,0,12,0,Infinity,40,40,BENIGN';

// The cleaned CSE-CIC-IDS2018 sample: features and Label only.
const HEADER_2018_CLEAN = 'Protocol,Flow Duration,Total Fwd Packets,Total Backward Packets,Fwd Packets Length Total,Bwd Packets Length Total,Down/Up Ratio,Label';
const ROW_2018_CLEAN = '6,372345,25,22,1944,2665,0,SSH-Bruteforce';

describe('cicflowmeter decoder', () => {
  it('reads a CIC-IDS2017 row: trimmed names, day-first time, non-finite features left out and tagged', async () => {
    const [doc] = docsOf(await decodeContent(cicflowmeterDecoder, 'flow', `${HEADER_2017}\n${ROW_2017}\n`)) as FlowEvent[];
    expect(doc).toMatchObject({
      '@timestamp': '2017-07-03T08:55:00.000Z',
      event: { duration: 3000 },
      source: { ip: '192.168.10.5', port: 54865, packets: 2, bytes: 12 },
      destination: { ip: '104.16.207.165', port: 443, packets: 0, bytes: 0 },
      network: { transport: 'tcp', iana_number: '6' },
      spothreat: { format: 'cicflowmeter', label: 'BENIGN' },
      tags: [NON_FINITE_FEATURE_TAG],
    });
    expect(doc.flow_features).toEqual({
      source_port: 54865,
      destination_port: 443,
      protocol: 6,
      flow_duration: 3,
      total_fwd_packets: 2,
      total_backward_packets: 0,
      total_length_of_fwd_packets: 12,
      total_length_of_bwd_packets: 0,
      fwd_header_length: 40,
      fwd_header_length_2: 40,
    });
  });

  it('gives flows of an edition without IPs or time the documented placeholders and tags', async () => {
    const [doc] = docsOf(await decodeContent(cicflowmeterDecoder, 'flow', `${HEADER_2018_CLEAN}\n${ROW_2018_CLEAN}\n`)) as FlowEvent[];
    expect(doc['@timestamp']).toBe(PLACEHOLDER_TIMESTAMP);
    expect([doc.source.ip, doc.destination.ip]).toEqual([PLACEHOLDER_IP, PLACEHOLDER_IP]);
    expect(doc.tags).toEqual([PLACEHOLDER_IP_TAG, PLACEHOLDER_TIMESTAMP_TAG]);
    expect(doc.spothreat.label).toBe('SSH-Bruteforce');
    expect(doc.flow_features).toMatchObject({ flow_duration: 372345, down_per_up_ratio: 0, fwd_packets_length_total: 1944 });
    expect(doc.source).toEqual({ ip: PLACEHOLDER_IP, packets: 25, bytes: 1944 });
  });

  it('rejects a bad value in a column that exists rather than inventing one', async () => {
    const badIp = ROW_2017.replace(',192.168.10.5,', ',192.168.10,');
    const badFeature = ROW_2018_CLEAN.replace(',0,SSH', ',abc,SSH');
    const results = [
      ...(await decodeContent(cicflowmeterDecoder, 'flow', `${HEADER_2017}\n${badIp}\n`)),
      ...(await decodeContent(cicflowmeterDecoder, 'flow', `${HEADER_2018_CLEAN}\n${badFeature}\n,,,,,,,\n`)),
    ];
    expect(rejectionsOf(results).map((r) => r.reason)).toEqual([
      'line 2: Src IP "192.168.10" is not an IPv4 or IPv6 address',
      'line 2: down_per_up_ratio "abc" is not a number',
      'line 3: protocol "" is not a number',
    ]);
  });

  it('refuses a file without a CICFlowMeter header', async () => {
    await expect(decodeContent(cicflowmeterDecoder, 'flow', `${ROW_2018_CLEAN}\n`)).rejects.toThrow(/not a CICFlowMeter CSV/);
  });
});

describe('isoFromCicTimestamp', () => {
  it('reads the 2017, 2018 and improved-edition forms', () => {
    expect(isoFromCicTimestamp('14/02/2018 08:31:01')).toBe('2018-02-14T08:31:01.000Z');
    expect(isoFromCicTimestamp('3/7/2017 8:55')).toBe('2017-07-03T08:55:00.000Z');
    expect(isoFromCicTimestamp('03/07/2017 01:30:05 PM')).toBe('2017-07-03T13:30:05.000Z');
    expect(isoFromCicTimestamp('2018-03-02 16:46:12.972385')).toBe('2018-03-02T16:46:12.972Z');
  });

  it('rejects an impossible date', () => {
    expect(() => isoFromCicTimestamp('31/02/2018 08:31:01')).toThrow('is not a calendar date');
  });
});

describe('featureKey', () => {
  it('makes snake_case keys of CIC column names', () => {
    expect(featureKey(' Flow Bytes/s')).toBe('flow_bytes_per_s');
    expect(featureKey('Fwd Avg Bytes/Bulk')).toBe('fwd_avg_bytes_per_bulk');
    expect(featureKey('Init_Win_bytes_forward')).toBe('init_win_bytes_forward');
  });
});
