import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../main';

/** Runs the CLI in-process and returns its exit code and what it printed. */
async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    const code = await main(['node', 'spothreat', ...args]);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('spothreat generate', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'spothreat-generate-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('writes the day and prints a JSON summary with the files, counts and rate', async () => {
    const { code, stdout } = await run(['generate', '--out', scratch, '--events', '3k', '--hosts', '40', '--seed', '5', '--top-domains', 'builtin', '--attacks', 'dga,port-scan', '--json']);
    expect(code).toBe(0);
    const summary = JSON.parse(stdout);
    expect(summary.counts.total).toBeGreaterThan(2900);
    expect(Object.keys(summary.counts.attacks).sort()).toEqual(['dga', 'port-scan']);
    expect(summary.topDomains.source).toBe('built-in list');
    expect(summary.eventsPerSecond).toBeGreaterThan(0);
    expect(readFileSync(summary.paths.flow[0], 'utf8').split('\n')[0]).toMatch(/^ts,te,td,sa,da,/);
  });

  it('fails with a one-line reason for bad options', async () => {
    const unknown = await run(['generate', '--out', scratch, '--attacks', 'phishing']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^spothreat: unknown attack\(s\) phishing; known: port-scan/);
    const tooFew = await run(['generate', '--out', scratch, '--events', '10']);
    expect(tooFew.code).toBe(2);
    expect(tooFew.stderr).toMatch(/events must be an integer from 1000/);
    const badEvents = await run(['generate', '--out', scratch, '--events', 'lots']);
    expect(badEvents.code).not.toBe(0);
    expect(badEvents.stderr).toMatch(/must be a number of events/);
  });
});
