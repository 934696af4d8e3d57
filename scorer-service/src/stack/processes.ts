import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';

export interface RunResult {
  stdout: string;
  stderr: string;
  code: number;
}

/** Runs a program to completion and returns its output; never throws on a non-zero exit. */
export function run(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      cmd,
      args,
      { env: opts.env ?? process.env, cwd: opts.cwd, timeout: opts.timeoutMs ?? 0, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 127) : 0;
        resolve({ stdout: String(stdout), stderr: String(stderr) || (error && !stderr ? error.message : ''), code });
      },
    );
  });
}

/** Runs a program with its output streamed to this process's stderr (for long installs). */
export function runVisible(cmd: string, args: string[], env?: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', process.stderr, process.stderr], env: env ?? process.env });
    child.on('error', () => resolve(127));
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

/**
 * Runs a launcher that daemonises (forks a long-lived child and exits). Its output goes to a file, never to a
 * pipe, because the daemon inherits the descriptors and a pipe would then never close. The launcher starts in a
 * session of its own: a daemon left in the caller's process group would get the terminal's Ctrl-C meant for the
 * command that started it (`spothreat demo`), and the stack would die with the demo.
 */
export function runLauncher(cmd: string, args: string[], outputFile: string, opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<number> {
  return new Promise((resolve) => {
    const fd = fs.openSync(outputFile, 'a');
    const child = spawn(cmd, args, { stdio: ['ignore', fd, fd], env: opts.env ?? process.env, cwd: opts.cwd, detached: true });
    child.on('error', () => resolve(127));
    child.on('exit', (code) => {
      fs.closeSync(fd);
      resolve(code ?? 1);
    });
  });
}

export async function commandExists(cmd: string): Promise<boolean> {
  const result = await run('sh', ['-c', `command -v ${cmd}`]);
  return result.code === 0 && result.stdout.trim().length > 0;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function readPid(file: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** True when something accepts TCP connections on host:port. */
export function portInUse(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sends SIGTERM, waits up to graceMs, then SIGKILL. Resolves once the process is gone. */
export async function stopProcess(pid: number, graceMs = 30_000): Promise<void> {
  if (!isAlive(pid)) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(200);
  if (isAlive(pid)) {
    process.kill(pid, 'SIGKILL');
    while (isAlive(pid)) await sleep(100);
  }
}

export function tail(file: string, lines = 40): string {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return text.split('\n').slice(-lines).join('\n');
  } catch {
    return `(no log at ${file})`;
  }
}
