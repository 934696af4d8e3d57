#!/usr/bin/env node
// The whole test suite: brings up the local OpenSearch and Redis if they are not running, runs every jest
// project, stops what it started, and ends with its own summary line `N passed, N failed`.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const cli = path.join(root, 'scorer-service', 'bin', 'spothreat.cjs');

function stack(verb) {
  const result = spawnSync(process.execPath, [cli, 'stack', verb, '--json'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`spothreat stack ${verb} failed (exit ${result.status})`);
  return JSON.parse(result.stdout);
}

let startedStack = false;
let passed = 0;
let failed = 0;
try {
  // The browser tests load grafana-app/dist; build it first when it is missing or stale.
  require('./harness/buildApp.cjs').ensureAppBuilt(root);
  const up = stack('up');
  startedStack = up.startedAnything;
  const report = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'spothreat-jest-')), 'report.json');
  const jestArgs = [require.resolve('jest/bin/jest'), '--ci', '--json', `--outputFile=${report}`, ...process.argv.slice(2)];
  const run = spawnSync(process.execPath, jestArgs, { cwd: root, stdio: 'inherit', env: { ...process.env, SPOTHREAT_TEST_RUN: '1' } });
  if (fs.existsSync(report)) {
    const results = JSON.parse(fs.readFileSync(report, 'utf8'));
    passed = results.numPassedTests;
    failed = results.numFailedTests;
    // A suite that fails to load counts as a failure even though no test inside it ran.
    failed += results.testResults.filter((r) => r.status === 'failed' && r.assertionResults.length === 0).length;
  } else {
    failed += 1;
  }
  if (run.status !== 0 && failed === 0) failed = 1;
} catch (error) {
  console.error(String(error && error.message ? error.message : error));
  failed += 1;
} finally {
  if (startedStack) {
    try {
      stack('down');
    } catch (error) {
      console.error(String(error));
    }
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
