import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TopDomainClassifier } from '../../domain/topDomains';
import { readTopDomainsFile } from './topDomainsFile';

const lists = path.resolve(__dirname, '../../../../../shared/data/top-domains');

describe('readTopDomainsFile(path)', () => {
  it('reads the gzip Tranco-style list of one domain per line', async () => {
    const list = await readTopDomainsFile(path.join(lists, 'tranco_top_100k_kamika-ze.csv.gz'));
    expect(list.entries + list.rejectedCount).toBe(100_000);
    expect(list.entries).toBeGreaterThan(99_000);
    expect(new TopDomainClassifier(list).classify('www.google.com')).toBe(1);
  });

  it('reads the gzip rank,domain list', async () => {
    const list = await readTopDomainsFile(path.join(lists, 'ranked_top_50526_kmikholap_2025-02.csv.gz'));
    expect(list.entries).toBeGreaterThan(50_000);
    expect(list.registeredDomains.has('mail.ru')).toBe(true);
  });

  it('fails on a file that names no domain, quoting the first bad line', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'spothreat-top-')), 'list.txt');
    writeFileSync(file, '1,localhost\n');
    await expect(readTopDomainsFile(file)).rejects.toThrow('names no domain; line 1 "1,localhost"');
  });

  it('fails with the path when the file cannot be read', async () => {
    await expect(readTopDomainsFile('/nonexistent/top.csv')).rejects.toThrow('cannot read the top-domain list /nonexistent/top.csv');
  });
});
