import { ATTACK_NAMES, type AttackName, type AttackRecords } from './attacks/common';
import { attackScale, planAttacks, type PlannedAttack } from './attacks/plan';
import { runSession, sessionWeight } from './benign';
import { BUILT_IN_TOP_DOMAINS } from './catalog';
import { DayWriter, type OutputFormats, type ProxyFormat, type SinkFactory } from './dayWriter';
import { DomainCatalog } from './domains';
import { buildNetwork, MAX_HOSTS, MIN_HOSTS, type Network, type Subnet } from './network';
import { Dice, searchCumulative } from './random';
import { RecordQueue } from './recordQueue';
import type { DayRecord } from './records';
import { TrafficKit } from './traffic';

/**
 * One day of the simulated enterprise, generated minute by minute: pick who starts a session in proportion to
 * each host's rhythm until the minute's share of the day's events is reached, merge in the attacks' records,
 * and hand the minute's records to the writer in time order. Memory holds about a minute of traffic.
 */

export interface DemoDayOptions {
  seed: number;
  /** Target number of records (flow + DNS + proxy lines) for the whole day, attacks included. */
  events: number;
  hosts: number;
  /** The day, `YYYY-MM-DD` (UTC). */
  day: string;
  proxyFormat: ProxyFormat;
  attacks: readonly AttackName[];
  /** Ranked registrable domains people visit (a Tranco-style list); the built-in list when absent. */
  topDomains?: readonly string[];
  /** Where the domain list came from, for the summary. */
  topDomainSource?: string;
  /** Most records held in memory at once before they are written regardless of order. */
  maxQueuedRecords?: number;
}

export const DEFAULT_OPTIONS: DemoDayOptions = {
  seed: 1,
  events: 200_000,
  hosts: 300,
  // A fixed working day (a Tuesday), so that the same seed gives the same files on any date.
  day: '2025-03-11',
  proxyFormat: 'zeek',
  attacks: ATTACK_NAMES,
};

export const MIN_EVENTS = 1000;
export const MAX_EVENTS = 100_000_000;
const DEFAULT_MAX_QUEUED = 250_000;
const STEP_SECONDS = 60;
/** Host rhythms change slowly: their weights are computed once per block. */
const BLOCK_SECONDS = 300;
const DAY_SECONDS = 86400;

export interface AttackSummary {
  name: AttackName;
  description: string;
  actors: Record<string, string>;
  parameters: Record<string, number | string>;
  start: string;
  records: number;
}

export interface DemoDaySummary {
  day: string;
  seed: number;
  requestedEvents: number;
  formats: OutputFormats;
  /** Output files by data type, relative to the output folder, in time order. */
  files: { flow: string[]; dns: string[]; proxy: string[] };
  labelsFile: string;
  counts: { flow: number; dns: number; proxy: number; total: number; attacks: Record<string, number> };
  attacks: AttackSummary[];
  network: { subnets: readonly Subnet[]; hosts: Record<string, number>; services: Record<string, string[]> };
  topDomains: { source: string; count: number };
  /** Most records held in memory at once. */
  peakQueuedRecords: number;
}

export interface GenerationProgress {
  /** Minutes of the day done (0..1440). */
  minutes: number;
  records: number;
}

/** Checks options and lists every problem at once. */
export function validateOptions(options: DemoDayOptions): string[] {
  const problems: string[] = [];
  if (!Number.isSafeInteger(options.seed) || options.seed < 0) problems.push(`seed must be a non-negative integer, got ${options.seed}`);
  if (!Number.isInteger(options.events) || options.events < MIN_EVENTS || options.events > MAX_EVENTS) {
    problems.push(`events must be an integer from ${MIN_EVENTS} to ${MAX_EVENTS}, got ${options.events}`);
  }
  if (!Number.isInteger(options.hosts) || options.hosts < MIN_HOSTS || options.hosts > MAX_HOSTS) {
    problems.push(`hosts must be an integer from ${MIN_HOSTS} to ${MAX_HOSTS}, got ${options.hosts}`);
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(options.day) || Number.isNaN(Date.parse(`${options.day}T00:00:00Z`)) || new Date(`${options.day}T00:00:00Z`).toISOString().slice(0, 10) !== options.day) {
    problems.push(`day must be a calendar date YYYY-MM-DD, got "${options.day}"`);
  }
  if (options.proxyFormat !== 'zeek' && options.proxyFormat !== 'squid') problems.push(`proxy format must be zeek or squid, got "${options.proxyFormat}"`);
  const unknown = options.attacks.filter((name) => !(ATTACK_NAMES as readonly string[]).includes(name));
  if (unknown.length > 0) problems.push(`unknown attacks: ${unknown.join(', ')}; known: ${ATTACK_NAMES.join(', ')}`);
  if (options.topDomains !== undefined && options.topDomains.length === 0) problems.push('the top-domain list is empty');
  return problems;
}

/** Pulls an attack's records one at a time, so the day can merge them by time without holding them. */
class AttackStream {
  private readonly records: AttackRecords;
  private next: DayRecord | undefined;

  constructor(plan: PlannedAttack) {
    this.records = plan.records();
    this.advance();
  }

  private advance(): void {
    const step = this.records.next();
    this.next = step.done ? undefined : step.value;
  }

  /** Queues every record that starts before `untilMicros`. */
  moveBefore(untilMicros: number, queue: RecordQueue): void {
    while (this.next !== undefined && this.next.time < untilMicros) {
      queue.push(this.next);
      this.advance();
    }
  }
}

function countWithin(plan: PlannedAttack, endMicros: number): number {
  let count = 0;
  for (const record of plan.records()) if (record.time < endMicros) count++;
  return count;
}

function describeNetwork(network: Network): DemoDaySummary['network'] {
  const hosts: Record<string, number> = {};
  for (const host of network.hosts) hosts[host.subnet] = (hosts[host.subnet] ?? 0) + 1;
  const services: Record<string, string[]> = {};
  for (const [duty, list] of Object.entries(network.servers)) {
    if (duty !== 'general' && list.length > 0) services[duty] = list.map((h) => `${h.name} ${h.ip}`);
  }
  return { subnets: network.subnets, hosts, services };
}

/**
 * Generates the day and writes it through `openSink`. Deterministic: the same options give the same lines in the
 * same files. Synchronous, since it only computes and hands text to the sinks.
 */
export function generateDemoDay(options: DemoDayOptions, openSink: SinkFactory, onProgress?: (progress: GenerationProgress) => void): DemoDaySummary {
  const problems = validateOptions(options);
  if (problems.length > 0) throw new RangeError(problems.join('; '));
  const dayStart = Date.parse(`${options.day}T00:00:00Z`) * 1000;
  const dayEnd = dayStart + DAY_SECONDS * 1_000_000;
  const weekend = [0, 6].includes(new Date(dayStart / 1000).getUTCDay());

  const network = buildNetwork(options.hosts, Dice.derive(options.seed, 'network'));
  const sites = options.topDomains ?? BUILT_IN_TOP_DOMAINS;
  const domains = new DomainCatalog(sites);
  const kit = new TrafficKit(network, domains, Dice.derive(options.seed, 'benign'));
  const plans = planAttacks({ network, domains, dayStart, scale: attackScale(options.events), names: options.attacks }, Dice.derive(options.seed, 'attacks'));
  const attackRecords = plans.reduce((sum, plan) => sum + countWithin(plan, dayEnd), 0);
  const benignBudget = Math.max(0, options.events - attackRecords);

  // How busy each five-minute block is: the sum of every host's session weight in its middle.
  const hosts = network.hosts;
  const blockWeight = new Float64Array(DAY_SECONDS / BLOCK_SECONDS);
  for (let b = 0; b < blockWeight.length; b++) {
    const hour = (b * BLOCK_SECONDS + BLOCK_SECONDS / 2) / 3600;
    let total = 0;
    for (const host of hosts) total += sessionWeight(network, host, hour, weekend);
    blockWeight[b] = total;
  }
  const dayWeight = blockWeight.reduce((a, b) => a + b, 0);

  const writer = new DayWriter(openSink, options.seed, network.exporter, options.proxyFormat);
  const queue = new RecordQueue(dayStart, DAY_SECONDS);
  const streams = plans.map((plan) => new AttackStream(plan));
  const maxQueued = options.maxQueuedRecords ?? DEFAULT_MAX_QUEUED;
  const emit = (record: DayRecord) => writer.write(record);
  const cumulative = new Float64Array(hosts.length);
  const sessionRecords: DayRecord[] = [];
  const dice = kit.dice;
  let target = 0;
  let generated = 0;

  let cumulativeBlock = -1;
  for (let m = 0; m < DAY_SECONDS / STEP_SECONDS; m++) {
    const minuteStart = dayStart + m * STEP_SECONDS * 1_000_000;
    const minuteEnd = minuteStart + STEP_SECONDS * 1_000_000;
    const block = Math.floor((m * STEP_SECONDS) / BLOCK_SECONDS);
    const hour = (block * BLOCK_SECONDS + BLOCK_SECONDS / 2) / 3600;
    target += (benignBudget * blockWeight[block] * STEP_SECONDS) / BLOCK_SECONDS / dayWeight;
    if (generated < target) {
      if (cumulativeBlock !== block) {
        let sum = 0;
        for (let h = 0; h < hosts.length; h++) {
          sum += sessionWeight(network, hosts[h], hour, weekend);
          cumulative[h] = sum;
        }
        cumulativeBlock = block;
      }
      const sum = cumulative[hosts.length - 1];
      while (generated < target) {
        const host = hosts[searchCumulative(cumulative, dice.next() * sum)];
        const start = minuteStart + dice.nextInt(STEP_SECONDS * 1_000_000);
        sessionRecords.length = 0;
        runSession(kit, host, start, (start - dayStart) / 3_600_000_000, sessionRecords);
        // A session that produced nothing (a lookup that failed before any traffic) still moves the day on.
        generated += Math.max(1, sessionRecords.length);
        for (const record of sessionRecords) queue.push(record);
      }
    }
    for (const stream of streams) stream.moveBefore(minuteEnd, queue);
    queue.drainUntil(minuteEnd, emit);
    queue.drainToSize(maxQueued, emit);
    if (onProgress && (m + 1) % 60 === 0) onProgress({ minutes: m + 1, records: generated });
  }
  queue.drainUntil(dayEnd, emit);

  const written = writer.close();
  const attackCounts = Object.fromEntries([...writer.attackCounts.entries()].sort(([a], [b]) => a.localeCompare(b)));
  return {
    day: options.day,
    seed: options.seed,
    requestedEvents: options.events,
    formats: writer.formats,
    files: written.files,
    labelsFile: written.labelsFile,
    counts: { ...written.counts, total: written.counts.flow + written.counts.dns + written.counts.proxy, attacks: attackCounts },
    attacks: plans.map((plan) => ({
      name: plan.name,
      description: plan.description,
      actors: plan.actors,
      parameters: plan.parameters,
      start: new Date(plan.start / 1000).toISOString(),
      records: attackCounts[plan.name] ?? 0,
    })),
    network: describeNetwork(network),
    topDomains: { source: options.topDomains ? (options.topDomainSource ?? 'given list') : 'built-in list', count: sites.length },
    peakQueuedRecords: queue.peak,
  };
}
