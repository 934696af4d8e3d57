import {
  RecordError,
  isIPv4,
  isIp,
  isoFromDateTime,
  isoFromEpochSeconds,
  parseCount,
  parseDecimal,
  parsePort,
  parsePortHexOrDecimal,
  quote,
} from './fields';
import { FieldSplitter } from './fieldSplitter';
import { transportOf } from './flowEvent';
import { splitUrl } from './proxyEvent';

describe('address checks', () => {
  it('accepts dotted quads and IPv6 forms, and nothing else', () => {
    expect(['0.0.0.0', '255.255.255.255', '147.32.80.119'].every(isIPv4)).toBe(true);
    expect(['256.1.1.1', '1.2.3', '1.2.3.4.5', '01.2.3.4', '1..3.4', ' 1.2.3.4', '1.2.3.4 ', 'a.b.c.d', ''].some(isIPv4)).toBe(false);
    expect(['::', '::1', 'fe80::ba27:ebff:fec7:e9c9', '::ffff:10.0.0.1'].every(isIp)).toBe(true);
    expect(['00:00:00:00:00:00', 'fe80:::1', 'localhost'].some(isIp)).toBe(false);
  });
});

describe('number checks', () => {
  it('reads ports 0-65535 and says why anything else is not one', () => {
    expect(parsePort('0', 'p')).toBe(0);
    expect(parsePort('65535', 'p')).toBe(65535);
    expect(() => parsePort('70000', 'destination port')).toThrow('destination port "70000" out of range');
    expect(() => parsePort('-1', 'p')).toThrow('p "-1" is not a port number');
    expect(() => parsePort('', 'p')).toThrow('p is empty');
    expect(parsePortHexOrDecimal('0x0303', 'p')).toBe(0x0303);
  });

  it('reads counts as non-negative safe integers', () => {
    expect(parseCount('9007199254740991', 'c')).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => parseCount('9007199254740992', 'c')).toThrow(RecordError);
    expect(() => parseCount('-3', 'bytes')).toThrow('bytes "-3" is negative');
    expect(() => parseCount('1e3', 'c')).toThrow('is not a non-negative integer');
  });

  it('reads decimals but not hex, words or empty text', () => {
    expect(parseDecimal('0.027947', 'd')).toBe(0.027947);
    expect(parseDecimal('-1.5e2', 'd')).toBe(-150);
    for (const bad of ['0x10', 'Infinity', 'NaN', '', 'abc']) expect(() => parseDecimal(bad, 'd')).toThrow(RecordError);
  });

  it('cuts long values short in reasons', () => {
    expect(quote('x'.repeat(100))).toBe(`"${'x'.repeat(80)}..." (100 characters)`);
  });
});

describe('time conversions', () => {
  it('reads Unix seconds with a fraction as text, without binary rounding', () => {
    expect(isoFromEpochSeconds('1655071198.444458', 'ts')).toBe('2022-06-12T21:59:58.444Z');
    expect(isoFromEpochSeconds('1286536309.45', 'ts')).toBe('2010-10-08T11:11:49.450Z');
    expect(isoFromEpochSeconds('19.981745', 'ts')).toBe('1970-01-01T00:00:19.981Z');
    expect(() => isoFromEpochSeconds('-5', 'ts')).toThrow('ts "-5" is not a Unix time in seconds');
    expect(() => isoFromEpochSeconds('1655071198444', 'ts')).toThrow('out of range');
  });

  it('reads date-times with dashes or slashes and any fraction as UTC', () => {
    expect(isoFromDateTime('2018-01-12 15:37:30', 't')).toBe('2018-01-12T15:37:30.000Z');
    expect(isoFromDateTime('2019/04/04 16:23:00.325010', 't')).toBe('2019-04-04T16:23:00.325Z');
    expect(isoFromDateTime('2024-02-29T00:00:00.5', 't')).toBe('2024-02-29T00:00:00.500Z');
    expect(() => isoFromDateTime('2023-02-29 00:00:00', 't')).toThrow('is not a calendar date');
    expect(() => isoFromDateTime('2018-01-12 24:00:00', 't')).toThrow('is not a date and time');
    expect(() => isoFromDateTime('2018-01-12 15:37:30.', 't')).toThrow('is not a date and time');
  });
});

describe('FieldSplitter', () => {
  it('gives fields by position, empty ones included, and counts beyond its capacity', () => {
    const fields = new FieldSplitter(',', 2);
    expect(fields.split('a,,c,d')).toBe(4);
    expect([fields.get(0), fields.get(1), fields.get(3), fields.get(9)]).toEqual(['a', '', 'd', '']);
    expect(fields.all()).toEqual(['a', '', 'c', 'd']);
    expect(fields.split('')).toBe(0);
  });
});

describe('transportOf', () => {
  it('maps names and numbers both ways', () => {
    expect(transportOf('TCP')).toEqual({ transport: 'tcp', iana_number: '6' });
    expect(transportOf('17')).toEqual({ transport: 'udp', iana_number: '17' });
    expect(transportOf('ICMP6')).toEqual({ transport: 'ipv6-icmp', iana_number: '58' });
    expect(transportOf('253')).toEqual({ iana_number: '253' });
    expect(transportOf('carrier-pigeon')).toEqual({ transport: 'carrier-pigeon' });
  });
});

describe('splitUrl', () => {
  it('splits absolute URLs and CONNECT authorities', () => {
    expect(splitUrl('http://user@Example.COM:8080/a?b=1')).toEqual({ scheme: 'http', host: 'example.com', port: 8080, pathAndQuery: '/a?b=1' });
    expect(splitUrl('mail.example.com:443')).toEqual({ scheme: undefined, host: 'mail.example.com', port: 443, pathAndQuery: undefined });
    expect(splitUrl('https://[2001:db8::1]/x')).toMatchObject({ host: '[2001:db8::1]', pathAndQuery: '/x' });
    expect(splitUrl('/relative/path')).toBeUndefined();
    expect(splitUrl('http://host:99999/')).toBeUndefined();
  });
});
