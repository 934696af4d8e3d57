import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * `npm run bench`: runs every benchmark script one after another and writes one markdown report with the machine,
 * the date and each script's own output. Every script prints its figures beside a baseline measured in the same
 * run, so the report carries ratios that mean something on a shared, noisy machine; nothing here re-types them.
 */

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const SCRIPTS = ['bench:ingest', 'bench:ml', 'bench:score', 'bench:scale', 'bench:ui'] as const;

interface BenchRun {
  script: string;
  exitCode: number;
  seconds: number;
  output: string;
  loadBefore: number[];
  loadAfter: number[];
}

function runScript(script: string, extraArgs: string[]): Promise<BenchRun> {
  const loadBefore = os.loadavg();
  const started = process.hrtime.bigint();
  return new Promise((resolve) => {
    const args = ['run', '--silent', script, ...(extraArgs.length ? ['--', ...extraArgs] : [])];
    const child = spawn('npm', args, { cwd: repoRoot, env: process.env });
    let output = '';
    const keep = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      process.stderr.write(text);
      output += text;
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('exit', (code) =>
      resolve({
        script,
        exitCode: code ?? 1,
        seconds: Number(process.hrtime.bigint() - started) / 1e9,
        // Progress bars redraw with carriage returns; only the final state of each line belongs in a report.
        output: output.split('\n').map((line) => line.split('\r').pop() ?? '').join('\n').trim(),
        loadBefore,
        loadAfter: os.loadavg(),
      }),
    );
  });
}

function machine(): string[] {
  const cpus = os.cpus();
  return [
    `- date: ${new Date().toISOString()}`,
    `- machine: ${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB memory, ${os.type()} ${os.release()}`,
    `- node ${process.version}`,
  ];
}

const load = (l: number[]) => l.map((x) => x.toFixed(1)).join(' / ');

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const only = args.filter((a) => SCRIPTS.includes(a as (typeof SCRIPTS)[number]));
  const outIndex = args.indexOf('--out');
  const out = outIndex >= 0 ? path.resolve(args[outIndex + 1]) : path.join(repoRoot, 'docs', 'benchmarks.md');
  const passThrough = args.includes('--quick') ? ['--quick'] : [];
  const runs: BenchRun[] = [];
  for (const script of only.length ? only : SCRIPTS) {
    process.stderr.write(`\n== npm run ${script}\n`);
    // bench:ingest and bench:ui take no --quick; only the ML and scoring benches scale down with it.
    runs.push(await runScript(script, script === 'bench:ml' ? passThrough : []));
  }
  const lines = [
    '# Benchmarks',
    '',
    'Written by `npm run bench`. Each script measures a baseline in the same run and prints its figures beside it;',
    'the machine is shared, so read the ratios first and the absolute rates with the load averages in mind.',
    '',
    ...machine(),
    '',
    '| script | exit | wall time | load average (1/5/15 min) before → after |',
    '|---|---|---|---|',
    ...runs.map((r) => `| \`npm run ${r.script}\` | ${r.exitCode} | ${r.seconds.toFixed(0)} s | ${load(r.loadBefore)} → ${load(r.loadAfter)} |`),
    '',
    ...runs.flatMap((r) => [`## npm run ${r.script}`, '', '```', r.output || '(no output)', '```', '']),
  ];
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${lines.join('\n')}\n`);
  process.stderr.write(`\nreport written to ${path.relative(repoRoot, out)}\n`);
  process.exitCode = runs.some((r) => r.exitCode !== 0) ? 1 : 0;
}

void main();
