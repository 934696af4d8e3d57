import { AsnRangeError, AsnRangesBuilder } from './asnRanges';

const at = (line: number) => ({ file: 'asn.csv', line });

function build(rows: [string, string, string, string][]) {
  const builder = new AsnRangesBuilder();
  rows.forEach(([start, end, asn, org], i) => builder.add(start, end, asn, org, at(i + 1)));
  return builder.build();
}

describe('AsnRanges', () => {
  const { ranges, report } = build([
    ['9.0.0.0', '9.0.0.255', '64500', 'Later Org'],
    ['1.0.0.0', '1.0.0.255', '13335', 'Cloudflare, Inc.'],
    ['2001:db8::', '2001:db8::ffff', '64501', 'Doc Net'],
    ['2001:db8:1::', '2001:db8:1:ffff:ffff:ffff:ffff:ffff', '64502', ''],
    ['5.0.0.0', '5.0.0.9', '0', 'Unrouted'],
  ]);

  it('finds the AS of addresses inside a range, at its first and last address, in either family', () => {
    expect(ranges.lookup('1.0.0.0')).toEqual({ number: 13335, organization: 'Cloudflare, Inc.' });
    expect(ranges.lookup('1.0.0.255')).toEqual({ number: 13335, organization: 'Cloudflare, Inc.' });
    expect(ranges.lookup('9.0.0.7')?.number).toBe(64500);
    expect(ranges.lookup('2001:db8::abcd')).toEqual({ number: 64501, organization: 'Doc Net' });
    expect(ranges.lookup('2001:db8:1:2::1')).toEqual({ number: 64502 });
  });

  it('reads an IPv4-mapped IPv6 address as the IPv4 address it carries', () => {
    expect(ranges.lookup('::ffff:1.0.0.9')?.number).toBe(13335);
  });

  it('answers undefined between ranges, outside them, for AS 0 and for anything that is not an address', () => {
    expect(ranges.lookup('1.0.1.0')).toBeUndefined();
    expect(ranges.lookup('0.0.0.1')).toBeUndefined();
    expect(ranges.lookup('255.255.255.255')).toBeUndefined();
    expect(ranges.lookup('2001:db8::1:0')).toBeUndefined();
    expect(ranges.lookup('5.0.0.1')).toBeUndefined();
    for (const bad of ['', 'not-an-ip', '1.2.3.256', '2001:::1', '1.2.3.4/24', undefined as unknown as string, 42 as unknown as string]) {
      expect(ranges.lookup(bad)).toBeUndefined();
    }
  });

  it('interns organisation names and reports its size', () => {
    const stats = ranges.stats();
    expect(stats).toMatchObject({ v4Ranges: 3, v6Ranges: 2, organizations: 4 });
    expect(stats.arrayBytes).toBe((3 * 4 + 2 * 10) * 4);
    expect(report.overlapsClipped).toBe(0);
  });

  it('cuts an overlapped range short so the later, narrower range wins where they overlap', () => {
    const overlapping = build([
      ['10.0.0.0', '10.0.0.200', '1', 'Wide'],
      ['10.0.0.100', '10.0.0.255', '2', 'Narrow'],
    ]);
    expect(overlapping.report.overlapsClipped).toBe(1);
    expect(overlapping.ranges.lookup('10.0.0.99')?.number).toBe(1);
    expect(overlapping.ranges.lookup('10.0.0.100')?.number).toBe(2);
    expect(overlapping.ranges.lookup('10.0.0.250')?.number).toBe(2);
  });

  it('names the file, line and reason of a bad row', () => {
    const builder = new AsnRangesBuilder();
    expect(() => builder.add('1.0.0.0', '1.0.0.x', '1', 'x', at(7))).toThrow('asn.csv:7: range end "1.0.0.x" is not an IP address');
    expect(() => builder.add('16777216', '16777471', '1', 'x', at(8))).toThrow(/asn.csv:8: .*is a number; give addresses/);
    expect(() => builder.add('1.0.0.9', '1.0.0.0', '1', 'x', at(9))).toThrow(/asn.csv:9: range end 1.0.0.0 is before its start/);
    expect(() => builder.add('1.0.0.0', '2001:db8::', '1', 'x', at(10))).toThrow(/mixes IPv4 and IPv6/);
    expect(() => builder.add('1.0.0.0', '1.0.0.1', 'AS13335', 'x', at(11))).toThrow(AsnRangeError);
  });
});
