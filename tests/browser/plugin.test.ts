/**
 * The built plugin (grafana-app/dist) in Debian's Chromium, loaded the way Grafana loads it: SystemJS with the AMD
 * extra, the real @grafana packages shared as `package:` modules, every panel and every page in both themes, and the
 * feedback loop from a click to a finished retraining job. Screenshots land in tests/artifacts/ for people to look at.
 *
 * Which scorer answers: the LIVE `spothreat serve` (started here on a free port over the real OpenSearch and Redis,
 * after `spothreat ingest` and `score` of a real capture) whenever the CLI has `serve` and the capture is there;
 * otherwise, or with SPOTHREAT_BROWSER_FIXTURE=1, the harness's FIXTURE scorer. The output says which.
 */
import fs from 'node:fs';
import path from 'node:path';

import type { Browser, Page } from 'playwright-core';

import { testIds } from '../../grafana-app/src/components/testIds';
import { FIXTURE_DAY } from '../harness/fixtureScorer';
import { buildHost } from '../harness/host/build.cjs';
import { FIXTURE_SCORER_URL, type Harness, startHarness } from '../harness/server';
import { launchChromium } from './chromium';
import { CAPTURE_DAY, type LiveScorer, liveScorerAvailable, startLiveScorer } from './liveScorer';

const ROOT = path.resolve(__dirname, '..', '..');
const ARTIFACTS = path.join(ROOT, 'tests', 'artifacts');
const LIVE = process.env.SPOTHREAT_BROWSER_FIXTURE !== '1' && liveScorerAvailable();
const WINDOW = LIVE ? `from=${CAPTURE_DAY.from}&to=${CAPTURE_DAY.to}` : `from=${FIXTURE_DAY}&to=${FIXTURE_DAY + 86_400_000}`;
let token = 'fixture-token';
let live: LiveScorer | undefined;
const THEMES = ['dark', 'light'] as const;
const SLOW_MS = 300_000;

jest.setTimeout(SLOW_MS);

const PANELS: Array<{ folder: string; ready: string }> = [
  { folder: 'threat-list', ready: `[data-testid^="spothreat-threat-row-"]` },
  { folder: 'network-graph', ready: `[data-testid="${testIds.networkGraph.canvas}"][data-rendered-nodes]` },
  { folder: 'geo-map', ready: `[data-testid="${testIds.geoMap.canvas}"][data-rendered-clusters]` },
  { folder: 'timeline', ready: `[data-testid="${testIds.timeline.container}"] rect` },
  { folder: 'ingest-summary', ready: `[data-testid="${testIds.ingestChart.container}"] rect` },
];

const PAGES: Array<{ route: string; query?: string; ready: string }> = [
  { route: 'suspicious', ready: `[data-testid^="spothreat-threat-row-"]` },
  { route: 'investigation', query: 'anchor=FIRST_SOURCE', ready: `[data-testid="${testIds.investigationPage.peersByConnections}"]` },
  { route: 'storyboard', ready: `[data-testid="${testIds.storyboardPage.progression}"]` },
  { route: 'ingest-summary', ready: `[data-testid="${testIds.ingestChart.container}"] rect` },
  { route: 'models', ready: `[data-testid="${testIds.modelsPage.container}"] table` },
];

let harness: Harness;
let browser: Browser;
const pageErrors: string[] = [];

async function open(url: string, ready: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  page.on('pageerror', (error) => pageErrors.push(`${url}: ${error.message}`));
  await page.goto(`${harness.url}${url}`);
  await page.waitForFunction(() => (window as any).__spothreatHarnessReady || (window as any).__spothreatHarnessError);
  const hostError = await page.evaluate(() => (window as any).__spothreatHarnessError);
  if (hostError) {
    throw new Error(`harness host failed: ${hostError}`);
  }
  // Attached, not visible: a chart's first bar can be zero high and still be the chart.
  await page.waitForSelector(ready, { timeout: 30_000, state: 'attached' });
  return page;
}

async function shoot(page: Page, name: string) {
  // Let canvases settle (the graph's layout animates) so the picture shows the finished view.
  await page.waitForTimeout(800);
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

async function firstSource(): Promise<string> {
  const response = await fetch(`${harness.url}/api/plugin-proxy/spothreat-app/scorer/api/v1/threats?type=flow&${WINDOW}&pageSize=1`);
  const body = await response.json();
  return body.items[0].srcIp;
}

/** The id of the row at the top of the list: rows are placed by their `top`, so DOM order is not screen order. */
async function firstRowOnScreen(page: Page): Promise<string> {
  return page.evaluate(() => {
    const rows = [...document.querySelectorAll<HTMLElement>('[data-testid^="spothreat-threat-row-"]')];
    rows.sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top));
    return rows[0].dataset.testid!.replace('spothreat-threat-row-', '');
  });
}

beforeAll(async () => {
  if (!fs.existsSync(path.join(ROOT, 'grafana-app', 'dist', 'module.js'))) {
    throw new Error('grafana-app/dist is missing: npm test builds it, or run `npm run build -w grafana-app`');
  }
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await buildHost();
  if (LIVE) {
    live = await startLiveScorer();
    token = live.token;
  }
  harness = await startHarness({ scorerUrl: live?.url ?? FIXTURE_SCORER_URL, token });
  browser = await launchChromium();
  await saveStory();
  console.info(`browser tests run against ${live ? `the LIVE scorer (spothreat serve at ${live.url}, indices ${live.prefix}*)` : 'the harness FIXTURE scorer'}`);
}, SLOW_MS);

/** A story for the storyboard page, saved through the app's plugin route like the investigation page does. */
async function saveStory() {
  const [from, to] = WINDOW.split('&').map((part) => new Date(Number(part.split('=')[1])).toISOString());
  const response = await fetch(`${harness.url}/api/plugin-proxy/spothreat-app/scorer/api/v1/storyboard`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ dataType: 'flow', anchor: { ip: await firstSource() }, from, to, title: 'Most unusual source of the day', summary: 'Saved by the browser test.', author: 'analyst' }),
  });
  if (!response.ok) {
    throw new Error(`saving a story failed: ${response.status} ${await response.text()}`);
  }
}

afterAll(async () => {
  await browser?.close();
  await harness?.close();
  await live?.close();
}, SLOW_MS);

describe.each(THEMES)('in the %s theme', (theme) => {
  test.each(PANELS)('the $folder panel renders from its built module.js', async ({ folder, ready }) => {
    const page = await open(`/harness?panel=${folder}&theme=${theme}&${WINDOW}`, ready);
    await shoot(page, `panel-${folder}-${theme}`);
    await page.close();
  });

  test.each(PAGES)('the $route page renders inside the app', async ({ route, query, ready }) => {
    const extra = query?.replace('FIRST_SOURCE', await firstSource());
    const page = await open(`/a/spothreat-app/${route}?theme=${theme}&${WINDOW}${extra ? `&${extra}` : ''}`, ready);
    await shoot(page, `page-${route}-${theme}`);
    await page.close();
  });

  test('an expanded flow row of the fused ranking shows the LDA explanation and the autoencoder features', async () => {
    const page = await open(`/harness?panel=threat-list&theme=${theme}&${WINDOW}`, `[data-testid^="spothreat-threat-row-"]`);
    expect(await page.getAttribute(`[data-testid="${testIds.threatList.sortBy('rank')}"]`, 'aria-pressed')).toBe('true');
    const first = await firstRowOnScreen(page);
    await page.click(`[data-testid="${testIds.threatList.expand(first)}"]`);
    await page.waitForSelector(`[data-testid="${testIds.threatList.ldaEvidence(first)}"]`);
    // Flows of a fused run carry the autoencoder's verdict: the mark in the row and its features in the evidence.
    await page.waitForSelector(`[data-testid="${testIds.threatList.autoencoderMark(first)}"]`);
    await page.waitForSelector(`[data-testid="${testIds.threatList.autoencoderEvidence(first)}"] tbody tr`);
    await shoot(page, `panel-threat-list-expanded-${theme}`);
    await page.close();
  });

  test('the configuration page tests the connection through the plugin route', async () => {
    const page = await open(`/plugins/spothreat-app?theme=${theme}`, `[data-testid="${testIds.appConfig.container}"]`);
    await page.click(`[data-testid="${testIds.appConfig.testConnection}"]`);
    await page.waitForSelector(`[data-testid="${testIds.appConfig.connectionStatus}"]`);
    expect(await page.textContent(`[data-testid="${testIds.appConfig.connectionStatus}"]`)).toMatch(/Scorer .* is ok/);
    await shoot(page, `page-configuration-${theme}`);
    await page.close();
  });
});

test('a benign rating goes through the data proxy with the token and the row follows the retraining job to the end', async () => {
  const page = await open(`/a/spothreat-app/suspicious?theme=dark&${WINDOW}`, `[data-testid^="spothreat-threat-row-"]`);
  const rowTestId = await page.getAttribute(`[data-testid^="spothreat-threat-row-"]`, 'data-testid');
  const threatId = rowTestId!.replace('spothreat-threat-row-', '');

  await page.click(`[data-testid="${testIds.threatList.rate(threatId, 3)}"]`);
  const jobState = `[data-testid="${testIds.threatList.jobState(threatId)}"]`;
  await page.waitForSelector(`${jobState}[data-state="waiting"], ${jobState}[data-state="active"], ${jobState}[data-state="completed"]`);
  await shoot(page, 'feedback-job-started');
  await page.waitForSelector(`${jobState}[data-state="completed"]`, { timeout: 120_000 });
  await shoot(page, 'feedback-job-completed');

  const feedback = harness.proxied.find((r) => r.method === 'POST' && r.path === '/api/v1/feedback');
  expect(feedback?.authorization).toBe(`Bearer ${token}`);
  expect(feedback?.status).toBeGreaterThanOrEqual(200);
  expect(feedback?.status).toBeLessThan(300);
  expect(harness.proxied.some((r) => r.path.startsWith('/api/v1/jobs/retrain/'))).toBe(true);
  await page.close();
});

test('no page threw an error while rendering', () => {
  expect(pageErrors).toEqual([]);
});
