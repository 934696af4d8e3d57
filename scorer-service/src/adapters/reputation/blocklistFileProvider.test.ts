import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BlocklistFileProvider } from './blocklistFileProvider';

describe('BlocklistFileProvider', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spothreat-blocklist-'));
  const file = path.join(dir, 'blocklist.txt');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('picks up an edited file and keeps the last good list when an edit is broken', async () => {
    fs.writeFileSync(file, '203.0.113.7\n');
    const provider = new BlocklistFileProvider(file, 0);
    expect(await provider.check([{ kind: 'ip', value: '203.0.113.8' }])).toEqual([]);

    fs.writeFileSync(file, '203.0.113.7\n203.0.113.8,2,new\n');
    fs.utimesSync(file, new Date(), new Date(Date.now() + 2000));
    expect(await provider.check([{ kind: 'ip', value: '203.0.113.8' }])).toEqual([
      { provider: 'blocklist', indicator: '203.0.113.8', level: 2, label: 'new' },
    ]);

    fs.writeFileSync(file, 'this is not a list\n');
    fs.utimesSync(file, new Date(), new Date(Date.now() + 4000));
    expect(await provider.check([{ kind: 'ip', value: '203.0.113.8' }])).toHaveLength(1);
    expect(provider.lastError).toMatch(/line 1/);
  });
});
