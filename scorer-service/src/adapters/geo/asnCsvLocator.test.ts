import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openAsnLocator, parseAsnCsvFiles } from './asnCsvLocator';

jest.setTimeout(120_000);

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'spothreat-asn-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('the ASN table from the packaged @ip-location-db/asn CSVs', () => {
  const cacheDir = path.join(work, 'cache');

  it('finds well-known networks in both families and nothing for private or malformed addresses', async () => {
    const { ranges, report } = await openAsnLocator({ cacheDir });
    expect(report.fromCache).toBe(false);
    expect(report.stats.v4Ranges).toBeGreaterThan(100_000);
    expect(report.stats.v6Ranges).toBeGreaterThan(10_000);
    expect(ranges.lookup('8.8.8.8')).toEqual({ number: 15169, organization: 'Google LLC' });
    expect(ranges.lookup('1.1.1.1')).toMatchObject({ number: 13335, organization: expect.stringMatching(/^Cloudflare/) });
    expect(ranges.lookup('2001:4860:4860::8888')?.number).toBe(15169);
    expect(ranges.lookup('2606:4700:4700::1111')?.number).toBe(13335);
    for (const none of ['10.0.0.1', '192.168.1.1', '127.0.0.1', 'fd00::1', 'not-an-ip', '300.1.1.1']) expect(ranges.lookup(none)).toBeUndefined();
  });

  it('reads the same table back from its cache on the next start', async () => {
    const { ranges, report } = await openAsnLocator({ cacheDir });
    expect(report.fromCache).toBe(true);
    expect(report.cacheFile && fs.existsSync(report.cacheFile)).toBe(true);
    expect(ranges.lookup('8.8.8.8')).toEqual({ number: 15169, organization: 'Google LLC' });
    expect(ranges.lookup('2606:4700:4700::1111')?.number).toBe(13335);
  });

});

describe('a user-supplied ASN CSV', () => {
  it('is read with an optional header and quoted organisation names', async () => {
    const file = path.join(work, 'own.csv');
    fs.writeFileSync(file, 'ip_range_start,ip_range_end,as_number,as_organisation\n203.0.113.0,203.0.113.255,64496,"Example, Ltd."\n2001:db8::,2001:db8::ff,64497,Doc\n');
    const { ranges, report } = await openAsnLocator({ files: [file] });
    expect(report).toMatchObject({ label: 'custom', fromCache: false });
    expect(ranges.lookup('203.0.113.7')).toEqual({ number: 64496, organization: 'Example, Ltd.' });
    expect(ranges.lookup('2001:db8::10')).toEqual({ number: 64497, organization: 'Doc' });
    expect(ranges.lookup('8.8.8.8')).toBeUndefined();
  });

  it('is cached too, and a damaged cache file is rebuilt instead of failing the start', async () => {
    const file = path.join(work, 'cached.csv');
    fs.writeFileSync(file, '198.51.100.0,198.51.100.255,64499,Cached Org\n');
    const cacheDir = path.join(work, 'own-cache');
    const first = await openAsnLocator({ files: [file], cacheDir });
    expect((await openAsnLocator({ files: [file], cacheDir })).report.fromCache).toBe(true);
    fs.writeFileSync(first.report.cacheFile!, 'not a cache');
    const { ranges, report } = await openAsnLocator({ files: [file], cacheDir });
    expect(report.fromCache).toBe(false);
    expect(ranges.lookup('198.51.100.1')).toEqual({ number: 64499, organization: 'Cached Org' });
  });

  it('is refused with the file, line and reason when a row is bad', async () => {
    const file = path.join(work, 'bad.csv');
    fs.writeFileSync(file, '203.0.113.0,203.0.113.255,64496,Fine\n203.0.114.0,203.0.114.999,64497,Broken\n');
    await expect(parseAsnCsvFiles([file])).rejects.toThrow(`${file}:2: range end "203.0.114.999" is not an IP address`);
    const short = path.join(work, 'short.csv');
    fs.writeFileSync(short, '203.0.113.0,203.0.113.255\n');
    await expect(parseAsnCsvFiles([short])).rejects.toThrow(`${short}:1: expected 3 or 4 columns`);
    const unclosed = path.join(work, 'unclosed.csv');
    fs.writeFileSync(unclosed, '203.0.113.0,203.0.113.255,1,"open quote\n');
    await expect(parseAsnCsvFiles([unclosed])).rejects.toThrow(unclosed);
  });

  it('is refused with its path when it does not exist', async () => {
    const missing = path.join(work, 'missing.csv');
    await expect(openAsnLocator({ files: [missing] })).rejects.toThrow(`the ASN CSV ${missing} does not exist`);
  });
});
