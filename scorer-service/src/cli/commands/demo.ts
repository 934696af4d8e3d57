import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { composeApi } from '../../composition';
import { loadConfig, repoRoot, type Config } from '../../config';
import { runDemo, type DemoResult } from '../../demo/demoRun';
import { info, printJson } from '../output';

function wholeNumber(min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`must be a whole number of at least ${min}`);
    return n;
  };
}

interface DemoCliOptions {
  seed: number;
  events: number;
  hosts?: number;
  day?: string;
  data?: string;
  serve: boolean;
  port: number;
  uiPort: number;
  show: number;
  json?: boolean;
}

function printResult(result: DemoResult): void {
  info('');
  info('Top suspicious events by fused rank (LDA score = P(word | IP), lower is rarer):');
  for (const t of result.top) {
    info(`  ${t.dataType.padEnd(5)} #${String(t.rank).padEnd(4)} LDA ${t.score.toExponential(2)}  ${t.time}  ${t.summary}${t.attack ? `   [label: ${t.attack}]` : ''}`);
    info(`        ${t.explanation}${t.heuristics.length ? `  heuristics: ${t.heuristics.join(', ')}` : ''}`);
  }
  const p = result.precision;
  if (p) {
    info('');
    info('Injected attacks against the ranking:');
    for (const t of p.byType) {
      info(`  ${t.dataType.padEnd(5)} precision@100 ${t.k100.precision.toFixed(2)} (${t.k100.attacks}/${t.k100.ranked}), precision@1000 ${t.k1000.precision.toFixed(2)} (${t.k1000.attacks}/${t.k1000.ranked})`);
    }
    info(`  all three lists merged rank by rank: precision@100 ${p.merged.k100.precision.toFixed(2)}, precision@1000 ${p.merged.k1000.precision.toFixed(2)}`);
    info(`  attacks in a top 100: ${p.attacksInTop100.length} of ${p.attacks.length} (${p.attacksInTop100.join(', ') || 'none'})`);
    info(`  attacks in a top 1000: ${p.attacksInTop1000.length} of ${p.attacks.length} (${p.attacksInTop1000.join(', ') || 'none'})`);
    const missed = p.attacks.filter((a) => !p.attacksInTop1000.includes(a));
    if (missed.length) info(`  not in any top 1000: ${missed.join(', ')}`);
  }
}

/** The Grafana app harness (the built plugin in a page, Grafana's loader imitated) if the app has been built. */
async function startAppHarness(scorerUrl: string, token: string, port: number): Promise<{ url: string; close(): Promise<void> } | string> {
  const harnessModule = path.join(repoRoot, 'tests', 'harness', 'server.ts');
  const built = path.join(repoRoot, 'grafana-app', 'dist', 'module.js');
  if (!fs.existsSync(harnessModule)) return 'the app harness is not in this checkout';
  const builder = path.join(repoRoot, 'tests', 'harness', 'buildApp.cjs');
  // A fresh clone has no dist: build it here (once; later runs rebuild only when the app's sources changed) rather
  // than send a new user to another command before the page the demo promised can open.
  if (fs.existsSync(builder)) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { ensureAppBuilt } = require(builder) as { ensureAppBuilt(root: string): boolean };
      ensureAppBuilt(repoRoot);
    } catch (e) {
      return `building the Grafana app failed (${(e as Error).message}): run \`npm run build -w grafana-app\` to see why`;
    }
  }
  if (!fs.existsSync(built)) return 'the Grafana app is not built: run `npm run build -w grafana-app` to browse it here';
  // require, not import(): the CLI loads TypeScript through tsx's require hook, which dynamic import() bypasses.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startHarness } = require(harnessModule) as { startHarness(o: { scorerUrl: string; token: string; port?: number }): Promise<{ url: string; close(): Promise<void> }> };
  return startHarness({ scorerUrl, token, port });
}

/** The app page opened on the scored days: the app keeps its time range in the URL as Grafana does (epoch ms). */
export function appLink(base: string, windows: readonly { from: string; to: string }[]): string {
  if (windows.length === 0) return base;
  const from = Math.min(...windows.map((w) => Date.parse(w.from)));
  const to = Math.max(...windows.map((w) => Date.parse(w.to)));
  return `${base.replace(/\/$/, '')}/?from=${from}&to=${to}`;
}

async function serveUntilStopped(config: Config, opts: DemoCliOptions, result: DemoResult): Promise<void> {
  const token = config.api.token ?? crypto.randomBytes(18).toString('base64url');
  const withToken: Config = Object.freeze({ ...config, api: { ...config.api, token } });
  const api = await composeApi(withToken, { onServerError: (error) => info(`server error: ${error.message}`) });
  const address = await api.app.listen({ host: '127.0.0.1', port: opts.port });
  info('');
  info(`API:      ${address}/api/v1  (bearer token: ${config.api.token ? 'SPOTHREAT_API_TOKEN' : token})`);
  const harness = await startAppHarness(address, token, opts.uiPort).catch((error: Error) => error.message);
  if (typeof harness === 'string') info(`Grafana app: not served here — ${harness}`);
  else info(`Grafana app (harness page, no Grafana needed): ${appLink(harness.url, result.scoring.map((s) => s.window))}`);
  info('Ctrl-C stops the API; `npx spothreat stack down` stops OpenSearch and Redis.');
  await new Promise<void>((resolve) => {
    const stop = () => {
      void Promise.allSettled([api.close(), typeof harness === 'string' ? Promise.resolve() : harness.close()]).then(() => resolve());
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      'From nothing to a scored, browsable day: start the local OpenSearch and Redis, generate a day of an enterprise ' +
        'network with labelled attacks (or take --data DIR), ingest it, train and score every data type through the ' +
        'BullMQ workers, print the top suspicious events and how many injected attacks made the top 100 / 1000, then ' +
        'serve the API and the Grafana app page until Ctrl-C.',
    )
    .option('--seed <n>', 'generator seed (same seed, same day)', wholeNumber(0), 1)
    .option('--events <n>', 'events in the generated day (flows + DNS + proxy)', wholeNumber(1000), 300_000)
    .option('--hosts <n>', 'internal hosts in the generated network', wholeNumber(10))
    .option('--day <yyyy-mm-dd>', 'the generated day')
    .option('--data <dir>', 'your own files instead of a generated day: pcaps, nfcapd files, Zeek logs, ... (formats are detected)')
    .option('--no-serve', 'exit after the summary instead of serving the API and the app')
    .option('--port <n>', 'API port (0 picks a free one)', wholeNumber(0), 8787)
    .option('--ui-port <n>', 'port of the Grafana app page (0 picks a free one)', wholeNumber(0), 3300)
    .option('--show <n>', 'top events printed per data type', wholeNumber(0), 5)
    .option('--json', 'print the summary as JSON on stdout')
    .action(async (opts: DemoCliOptions) => {
      const config = loadConfig();
      const result = await runDemo(config, { seed: opts.seed, events: opts.events, hosts: opts.hosts, day: opts.day, dataDir: opts.data, show: opts.show, log: info });
      if (opts.json) printJson(result);
      else printResult(result);
      const failed = result.scoring.filter((s) => s.state !== 'completed');
      if (failed.length > 0) {
        const shown = failed.slice(0, 3).map((f) => `${f.dataType} ${f.window.from.slice(0, 10)}: ${f.failedReason ?? f.state}`);
        throw new Error(`${failed.length} scoring job(s) did not complete: ${shown.join('; ')}${failed.length > 3 ? '; ...' : ''}`);
      }
      if (opts.serve) await serveUntilStopped(config, opts, result);
    });
}
