/**
 * `npm run bench:ui`: bundle sizes of the built plugin, and time to first render of the threat list with 10,000
 * rows and the network graph with 2,000 nodes in the harness (Debian's Chromium), each next to a small baseline
 * (100 rows, 100 nodes) measured in the same run, plus frame intervals while the 2,000-node layout animates.
 * A script that prints figures; nothing here passes or fails.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

import { launchChromium } from '../browser/chromium';
import { ensureAppBuilt } from './buildApp.cjs';
import { buildHost } from './host/build.cjs';
import { FIXTURE_SCORER_URL, startHarness } from './server';

const ROOT = path.resolve(__dirname, '..', '..');
const DIST = path.join(ROOT, 'grafana-app', 'dist');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

function bundleSizes() {
  const size = (file: string) => {
    const content = fs.readFileSync(file);
    return { raw: content.length, gzip: zlib.gzipSync(content).length };
  };
  const rows: Array<[string, { raw: number; gzip: number }]> = [['module.js (app entry)', size(path.join(DIST, 'module.js'))]];
  for (const panel of fs.readdirSync(path.join(DIST, 'panels')).sort()) {
    rows.push([`panels/${panel}/module.js`, size(path.join(DIST, 'panels', panel, 'module.js'))]);
  }
  const chunks = fs.readdirSync(DIST).filter((name) => name.endsWith('.js') && name !== 'module.js');
  const lazy = chunks.map((name) => size(path.join(DIST, name))).reduce((a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip }), { raw: 0, gzip: 0 });
  rows.push([`${chunks.length} lazy chunks (pages, config), together`, lazy]);
  console.log('\nBundle sizes (minified / gzip)');
  for (const [name, s] of rows) {
    console.log(`  ${name.padEnd(44)} ${kb(s.raw).padStart(11)} ${kb(s.gzip).padStart(11)}`);
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))];

async function main() {
  if (ensureAppBuilt(ROOT)) {
    console.log('built grafana-app/dist');
  }
  await buildHost();
  bundleSizes();

  const harness = await startHarness({ scorerUrl: FIXTURE_SCORER_URL, token: 'bench' });
  const browser = await launchChromium();
  const firstRender = async (panel: string, size: number) => {
    const times: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
      await page.goto(`${harness.url}/harness?panel=${panel}&bench=${size}&height=700`);
      await page.waitForFunction(() => (window as any).__spothreatBench || (window as any).__spothreatHarnessError, null, { timeout: 120_000 });
      const result = await page.evaluate(() => (window as any).__spothreatBench ?? { error: (window as any).__spothreatHarnessError });
      if (result.error) {
        throw new Error(result.error);
      }
      times.push(result.firstRenderMs);
      await page.close();
    }
    return median(times);
  };

  console.log(`\nTime to first render in Chromium (median of ${RUNS} page loads, data made in the page beforehand)`);
  const listBase = await firstRender('threat-list', 100);
  const list = await firstRender('threat-list', 10_000);
  console.log(`  threat list,    100 rows: ${listBase.toFixed(1).padStart(7)} ms`);
  console.log(`  threat list, 10,000 rows: ${list.toFixed(1).padStart(7)} ms  (${(list / listBase).toFixed(2)}x the 100-row baseline)`);
  const graphBase = await firstRender('network-graph', 100);
  const graph = await firstRender('network-graph', 2000);
  console.log(`  network graph,   100 nodes: ${graphBase.toFixed(1).padStart(7)} ms`);
  console.log(`  network graph, 2,000 nodes: ${graph.toFixed(1).padStart(7)} ms  (${(graph / graphBase).toFixed(2)}x the 100-node baseline)`);

  // Smoothness: intervals between animation frames while the force layout runs and redraws, 3 s after first paint.
  const animation = async (size: number) => {
    const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    await page.goto(`${harness.url}/harness?panel=network-graph&bench=${size}&height=700`);
    await page.waitForFunction(() => (window as any).__spothreatBench);
    // Passed as source text: tsx would otherwise wrap the function with helpers that do not exist in the page.
    const intervals: number[] = await page.evaluate(`new Promise((resolve) => {
      const seen = [];
      let last = performance.now();
      const end = last + 3000;
      const tick = (now) => {
        seen.push(now - last);
        last = now;
        if (now < end) requestAnimationFrame(tick); else resolve(seen);
      };
      requestAnimationFrame(tick);
    })`);
    await page.close();
    return intervals;
  };
  for (const size of [100, 2000]) {
    const intervals = await animation(size);
    console.log(
      `  ${String(size).padStart(5)}-node layout animating: ${intervals.length} frames in 3 s, frame interval median ${median(intervals).toFixed(1)} ms, p95 ${percentile(intervals, 0.95).toFixed(1)} ms`
    );
  }
  await browser.close();
  await harness.close();
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
