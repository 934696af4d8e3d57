import type { Window } from '../adapters/opensearch/queries';

/**
 * Scoring windows from what a user or a schedule gives: a day, an hour, or a custom range. Times are UTC and
 * windows half-open, so consecutive hours tile a day exactly.
 */

export interface WindowOptions {
  from?: string;
  to?: string;
  /** `2026-11-21` */
  day?: string;
  /** `2026-11-21T13` or `2026-11-21T13:00` */
  hour?: string;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** An ISO-8601 time or epoch milliseconds as a Date; throws naming the option when it is neither. */
export function parseInstant(value: string, option: string): Date {
  const text = value.trim();
  const date = /^\d{10,}$/.test(text) ? new Date(Number(text)) : new Date(text);
  if (text === '' || Number.isNaN(date.getTime())) throw new Error(`${option} "${value}" is neither an ISO-8601 time nor epoch milliseconds`);
  return date;
}

export function windowFromOptions(options: WindowOptions): Window {
  const given = [options.day !== undefined, options.hour !== undefined, options.from !== undefined || options.to !== undefined].filter(Boolean).length;
  if (given !== 1) throw new Error('give exactly one of --day, --hour, or --from with --to');
  if (options.day !== undefined) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(options.day)) throw new Error(`--day "${options.day}" must look like 2026-11-21`);
    const start = parseInstant(`${options.day}T00:00:00Z`, '--day');
    return { from: start.toISOString(), to: new Date(start.getTime() + DAY_MS).toISOString() };
  }
  if (options.hour !== undefined) {
    const match = /^(\d{4}-\d{2}-\d{2})[T ](\d{2})(?::00)?(?::00)?Z?$/.exec(options.hour);
    if (!match) throw new Error(`--hour "${options.hour}" must look like 2026-11-21T13`);
    const start = parseInstant(`${match[1]}T${match[2]}:00:00Z`, '--hour');
    return { from: start.toISOString(), to: new Date(start.getTime() + HOUR_MS).toISOString() };
  }
  if (options.from === undefined || options.to === undefined) throw new Error('--from and --to go together');
  const from = parseInstant(options.from, '--from');
  const to = parseInstant(options.to, '--to');
  if (from >= to) throw new Error(`--from (${from.toISOString()}) must be before --to (${to.toISOString()})`);
  return { from: from.toISOString(), to: to.toISOString() };
}

/** The last complete hour or day before `tick`: what a schedule firing at `tick` scores. */
export function windowBefore(tick: Date, length: 'hour' | 'day'): Window {
  const size = length === 'hour' ? HOUR_MS : DAY_MS;
  const end = Math.floor(tick.getTime() / size) * size;
  return { from: new Date(end - size).toISOString(), to: new Date(end).toISOString() };
}
