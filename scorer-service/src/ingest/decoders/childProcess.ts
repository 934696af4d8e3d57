import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';

/** Enough of a tool's stderr to explain a failure; more would only be the same message repeated. */
const STDERR_LIMIT = 16 * 1024;

export interface ToolExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The tool's stderr, without the lines listed as noise. */
  stderr: string;
}

export interface RunningTool {
  stdout: AsyncIterable<Buffer>;
  /** Resolves when the tool has exited; rejects when it could not be started (not installed). */
  exit: Promise<ToolExit>;
  /** Stops the tool if it still runs (the reader stopped early). */
  stop(): void;
}

/**
 * Starts a decoding tool (nfdump, tshark) with its stdout as a stream: it is read only as fast as the
 * records are consumed, so the pipe's buffer is the backpressure and memory stays bounded.
 */
export function startTool(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; stderrNoise?: RegExp } = {}): RunningTool {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: options.env ?? process.env });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => {
    if (stderr.length < STDERR_LIMIT) stderr += text.slice(0, STDERR_LIMIT - stderr.length);
  });
  const exit = new Promise<ToolExit>((resolve, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'ENOENT'
          ? new Error(`${command} is not installed (it is a Debian package: apt-get install -y ${command})`)
          : new Error(`${command} could not be started: ${error.message}`),
      );
    });
    child.once('close', (code, signal) => {
      const lines = stderr.split('\n').filter((line) => line.trim() !== '' && !options.stderrNoise?.test(line));
      resolve({ code, signal, stderr: lines.join('\n') });
    });
  });
  // The exit promise is awaited after stdout is drained; this keeps an early start failure from being unhandled.
  exit.catch(() => undefined);
  return {
    stdout: child.stdout,
    exit,
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    },
  };
}

/** True when the exit says the tool failed: a non-zero code, a signal, or anything it wrote to stderr. */
export function toolFailed(exit: ToolExit): boolean {
  return exit.code !== 0 || exit.signal !== null || exit.stderr !== '';
}

export function describeToolExit(command: string, exit: ToolExit): string {
  const how = exit.signal !== null ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
  return exit.stderr === '' ? `${command} ${how}` : `${command} ${how}: ${exit.stderr.replace(/\s*\n\s*/g, '; ')}`;
}

/**
 * A gzipped input that a tool cannot read from a pipe is first gunzipped into a private temporary folder
 * (streamed, so memory stays bounded); `cleanup` removes it.
 */
export async function gunzipToTemporaryFile(path: string): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'spothreat-gunzip-'));
  const target = join(dir, basename(path).replace(/\.gz$/i, '') || 'input');
  const cleanup = () => rm(dir, { recursive: true, force: true });
  try {
    await pipeline(createReadStream(path), createGunzip(), createWriteStream(target));
  } catch (error) {
    await cleanup();
    throw new Error(`${path}: could not be gunzipped: ${(error as Error).message}`);
  }
  return { path: target, cleanup };
}
