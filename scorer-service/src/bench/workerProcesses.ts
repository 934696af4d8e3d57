import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/** `spothreat worker` processes for the scale-out bench and test: started until ready, stopped gracefully. */

const CLI = path.resolve(__dirname, '..', '..', 'bin', 'spothreat.cjs');

/** Starts `count` worker processes with `env` and resolves once each says it is ready. */
export async function startWorkerProcesses(count: number, env: NodeJS.ProcessEnv, args: string[] = []): Promise<ChildProcess[]> {
  const started = Array.from({ length: count }, () =>
    spawn(process.execPath, [CLI, 'worker', '--no-schedules', ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] }),
  );
  await Promise.all(
    started.map(
      (child) =>
        new Promise<void>((resolve, reject) => {
          let seen = '';
          child.stderr!.on('data', (chunk: Buffer) => {
            seen += chunk.toString();
            if (/worker ready/.test(seen)) resolve();
          });
          child.once('exit', (code) => reject(new Error(`worker exited (${code}) before it was ready: ${seen}`)));
        }),
    ),
  );
  return started;
}

/** SIGTERM to each (its running jobs finish), resolved once all have exited. */
export async function stopWorkerProcesses(started: ChildProcess[]): Promise<void> {
  await Promise.all(
    started.map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }),
  );
}
