import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadTopDomains, writeDemoDay, MANIFEST_FILE } from './files';

function digestOfTree(root: string): Record<string, string> {
  const digests: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else digests[relative(root, path)] = createHash('sha256').update(readFileSync(path)).digest('hex');
    }
  };
  walk(root);
  return digests;
}

describe('writing the demo day to files', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'spothreat-demo-day-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('writes byte-identical files for the same seed, with a manifest and absolute paths to ingest', () => {
    const options = { seed: 3, events: 4000, hosts: 60 };
    const first = writeDemoDay(join(scratch, 'a'), options);
    writeDemoDay(join(scratch, 'b'), options);
    expect(digestOfTree(join(scratch, 'a'))).toEqual(digestOfTree(join(scratch, 'b')));
    expect(first.paths.flow.length).toBe(first.files.flow.length);
    expect(first.paths.flow.every((path) => path.startsWith(join(scratch, 'a', 'flow')))).toBe(true);
    const manifest = JSON.parse(readFileSync(first.paths.manifest, 'utf8'));
    expect(manifest.counts).toEqual(first.counts);
    expect(manifest.attacks.map((a: { name: string }) => a.name)).toContain('dga');
    expect(readFileSync(join(scratch, 'a', 'labels.jsonl'), 'utf8').trim().split('\n').length).toBe(Object.values(first.counts.attacks).reduce((a, b) => a + b, 0));
    expect(Object.keys(digestOfTree(join(scratch, 'a')))).toContain(MANIFEST_FILE);
  });

  it('reads a ranked top-domain list, gzip or plain, in rank order', () => {
    const text = 'rank,domain\n1,google.com\n2,www.wikipedia.org\n3,bbc.co.uk\n';
    writeFileSync(join(scratch, 'top.csv.gz'), gzipSync(text));
    writeFileSync(join(scratch, 'top.csv'), text);
    expect(loadTopDomains(join(scratch, 'top.csv.gz')).domains).toEqual(['google.com', 'wikipedia.org', 'bbc.co.uk']);
    expect(loadTopDomains(join(scratch, 'top.csv')).domains).toEqual(['google.com', 'wikipedia.org', 'bbc.co.uk']);
  });
});
