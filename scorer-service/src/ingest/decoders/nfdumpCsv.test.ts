import type { FlowEvent } from '../../domain/events';
import { NFDUMP_171_CSV_COLUMNS, SPOT_NFDUMP_CSV_COLUMNS, nfdumpCsvDecoder, tcpFlagsOf } from './nfdumpCsv';
import { decodeContent, docsOf, rejectionsOf } from './testSupport';

const HEADER = NFDUMP_171_CSV_COLUMNS;
// A real record from nfdump 1.7.1 (`nfdump -r test1-malicious.nfcapd -o csv`).
const RECORD =
  '2018-01-12 15:37:30,2018-01-12 15:37:30,0.000,147.32.80.119,147.32.82.62,52324,902,TCP,......S.,0,0,1,60,0,0,0,0,' +
  '2852,2852,0,0,0,0,0.0.0.0,0.0.0.0,0,0,00:00:00:00:00:00,00:00:00:00:00:00,00:00:00:00:00:00,00:00:00:00:00:00,' +
  '0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,0-0-0,    0.000,    0.000,    0.000,147.32.82.62,0/58,1,' +
  '1970-01-01 00:00:00.000';

function withField(record: string, column: string, value: string): string {
  const fields = record.split(',');
  fields[HEADER.split(',').indexOf(column)] = value;
  return fields.join(',');
}

describe('nfdump-csv decoder', () => {
  it('turns a stock nfdump 1.7 record into an ECS flow', async () => {
    const [result] = await decodeContent(nfdumpCsvDecoder, 'flow', `${HEADER}\n${RECORD}\n`);
    expect(result).toMatchObject({ ok: true, record: 2 });
    const doc = (result as { doc: FlowEvent }).doc;
    expect(doc).toMatchObject({
      '@timestamp': '2018-01-12T15:37:30.000Z',
      event: { start: '2018-01-12T15:37:30.000Z', end: '2018-01-12T15:37:30.000Z', duration: 0, dataset: 'spothreat.flow' },
      source: { ip: '147.32.80.119', port: 52324, packets: 1, bytes: 60 },
      destination: { ip: '147.32.82.62', port: 902, packets: 0, bytes: 0 },
      network: { transport: 'tcp', iana_number: '6', bytes: 60, packets: 1 },
      netflow: { tcp_control_bits: 0x02, exporter: { address: '147.32.82.62' } },
      spothreat: { format: 'nfdump-csv', file: 'input.txt', record: 2 },
    });
  });

  it("reads Spot's 27-column spot-nfdump layout by its header", async () => {
    const spot = '2016-05-05 13:54:58,2016,5,5,13,54,58,0.972,172.16.0.129,10.0.2.202,1024,80,TCP,.AP.SF,0,0,12,662,0,0,2,3,0,0,0,0,10.219.100.251';
    const [doc] = docsOf(await decodeContent(nfdumpCsvDecoder, 'flow', `${SPOT_NFDUMP_CSV_COLUMNS}\n${spot}\n`)) as FlowEvent[];
    expect(doc['@timestamp']).toBe('2016-05-05T13:54:58.000Z');
    expect(doc.event.duration).toBe(972_000_000);
    expect(doc.source).toEqual({ ip: '172.16.0.129', port: 1024, packets: 12, bytes: 662 });
    expect(doc.netflow).toEqual({ tcp_control_bits: 0x10 | 0x08 | 0x02 | 0x01, exporter: { address: '10.219.100.251' } });
  });

  it('takes a headerless file (saved with -q) as the stock 1.7 layout', async () => {
    const results = await decodeContent(nfdumpCsvDecoder, 'flow', `${RECORD}\n${RECORD}\n`);
    expect(results.map((r) => r.ok)).toEqual([true, true]);
  });

  it('skips the summary block nfdump appends without -q and the "No matching flows" line', async () => {
    const text = `${HEADER}\n${RECORD}\nSummary\nflows,bytes,packets,avg_bps,avg_pps,avg_bpp\n1,60,1,0,0,60\n`;
    expect((await decodeContent(nfdumpCsvDecoder, 'flow', text)).length).toBe(1);
    expect(await decodeContent(nfdumpCsvDecoder, 'flow', 'No matching flows\n')).toEqual([]);
  });

  it('rejects an out-of-range port with the line number, the reason and the raw line', async () => {
    const bad = withField(RECORD, 'dp', '70000');
    const [rejected] = rejectionsOf(await decodeContent(nfdumpCsvDecoder, 'flow', `${HEADER}\n${RECORD}\n${bad}\n`));
    expect(rejected).toEqual({ ok: false, record: 3, reason: 'line 3: destination port (dp) "70000" out of range', raw: bad });
  });

  it.each([
    ['sa', '147.32.80.300', /source address \(sa\) "147\.32\.80\.300" is not an IPv4 or IPv6 address/],
    ['ibyt', '-5', /input bytes \(ibyt\) "-5" is negative/],
    ['ipkt', '1.5', /input packets \(ipkt\) "1\.5" is not a non-negative integer/],
    ['ts', '2018-02-30 10:00:00', /start time \(ts\) "2018-02-30 10:00:00" is not a calendar date/],
    ['te', 'yesterday', /end time \(te\) "yesterday" is not a date and time/],
    ['td', 'abc', /duration \(td\) "abc" is not a number/],
    ['flg', 'SYN', /TCP flags \(flg\) "SYN" are not nfdump flags/],
  ])('rejects a bad %s value with a reason that names it', async (column, value, reason) => {
    const [result] = await decodeContent(nfdumpCsvDecoder, 'flow', `${HEADER}\n${withField(RECORD, column, value)}\n`);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(reason);
  });

  it('accepts IPv6 addresses', async () => {
    const v6 = withField(withField(RECORD, 'sa', '2001:db8::1'), 'da', 'fe80::1');
    const [doc] = docsOf(await decodeContent(nfdumpCsvDecoder, 'flow', `${HEADER}\n${v6}\n`)) as FlowEvent[];
    expect([doc.source.ip, doc.destination.ip]).toEqual(['2001:db8::1', 'fe80::1']);
  });

  it('rejects a record with the wrong number of fields (a truncated last line)', async () => {
    const results = await decodeContent(nfdumpCsvDecoder, 'flow', `${HEADER}\n${RECORD}\n${RECORD.slice(0, 60)}`);
    expect(results[1]).toMatchObject({ ok: false, record: 3, reason: 'line 3: has 5 comma-separated fields, the header has 48' });
  });

  it('fails the whole file with its name when it is not nfdump csv at all', async () => {
    await expect(decodeContent(nfdumpCsvDecoder, 'flow', '#separator \\x09\n#fields\tts\tuid\n')).rejects.toThrow(
      /^input\.txt: line 1: not nfdump csv: expected a header/,
    );
  });

  it('refuses a data type the format cannot carry', async () => {
    await expect(decodeContent(nfdumpCsvDecoder, 'dns', `${HEADER}\n`)).rejects.toThrow('format nfdump-csv carries flow events, not dns');
  });
});

describe('tcpFlagsOf', () => {
  it('reads the eight-letter 1.7 form, the six-letter older form and hex', () => {
    expect(tcpFlagsOf('...A.R..')).toBe(0x14);
    expect(tcpFlagsOf('CE......')).toBe(0xc0);
    expect(tcpFlagsOf('.AP.SF')).toBe(0x1b);
    expect(tcpFlagsOf('0x12')).toBe(0x12);
    expect(tcpFlagsOf('........')).toBe(0);
  });
});
