import { resolve } from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { SingleBar } from 'cli-progress';
import { ATTACK_NAMES, type AttackName } from '../../demo/generator/attacks/common';
import { DEFAULT_OPTIONS, validateOptions, type DemoDayOptions, type GenerationProgress } from '../../demo/generator/day';
import { defaultTopDomainFiles, findTopDomains, loadTopDomains, writeDemoDay, type LoadedDomains } from '../../demo/generator/files';
import { info, printJson, UserError } from '../output';

interface GenerateCliOptions {
  out: string;
  seed: number;
  events: number;
  hosts: number;
  day: string;
  proxyFormat: 'zeek' | 'squid';
  attacks: string;
  topDomains?: string;
  json?: boolean;
}

function wholeNumber(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) throw new InvalidArgumentError('must be a whole number');
  return n;
}

/** `1e6`, `250k`, `2M` or plain digits: event counts are easier to type that way. */
function eventCount(value: string): number {
  const match = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(value) ?? /^(\d+(?:\.\d+)?e\d+)()$/i.exec(value);
  if (!match) throw new InvalidArgumentError('must be a number of events such as 200000, 250k or 2M');
  const scale = match[2].toLowerCase() === 'k' ? 1e3 : match[2].toLowerCase() === 'm' ? 1e6 : 1;
  return Math.round(Number(match[1]) * scale);
}

function attackList(value: string): AttackName[] {
  if (value === 'all') return [...ATTACK_NAMES];
  if (value === 'none') return [];
  const names = value.split(',').map((name) => name.trim()).filter((name) => name.length > 0);
  const unknown = names.filter((name) => !(ATTACK_NAMES as readonly string[]).includes(name));
  if (unknown.length > 0) throw new UserError(`unknown attack(s) ${unknown.join(', ')}; known: ${ATTACK_NAMES.join(', ')} (or all, none)`);
  return names as AttackName[];
}

/** The repository root: three levels above this file, in src and in a build alike. */
function repositoryRoot(): string {
  return resolve(__dirname, '..', '..', '..', '..');
}

function topDomainsFor(choice: string | undefined): LoadedDomains | undefined {
  if (choice === 'builtin') return undefined;
  if (choice !== undefined) {
    try {
      return loadTopDomains(choice);
    } catch (error) {
      throw new UserError(`cannot read the top-domain list ${choice}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return findTopDomains(defaultTopDomainFiles(repositoryRoot()));
}

function progressBar(enabled: boolean): { update: (p: GenerationProgress) => void; stop: () => void } {
  if (!enabled || !process.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar({ format: '{bar} {percentage}% | hour {hour} of 24 | {records} events', stream: process.stderr, hideCursor: true });
  bar.start(1440, 0, { hour: 0, records: 0 });
  return {
    update: (p) => bar.update(p.minutes, { hour: Math.floor(p.minutes / 60), records: p.records }),
    stop: () => bar.stop(),
  };
}

export function registerGenerate(program: Command): void {
  program
    .command('generate')
    .description(
      'write one day of a simulated enterprise network (workstations, servers, DMZ, VPN) with labelled attacks, as ' +
        'hourly nfdump-csv flow files, Zeek dns.log files and Zeek http.log (or Squid access.log) proxy files, plus ' +
        'labels.jsonl and manifest.json; ingest them with `spothreat ingest`',
    )
    .requiredOption('--out <dir>', 'output folder (created when missing; files in it are overwritten)')
    .option('--seed <n>', 'seed: the same seed and options give byte-identical files', wholeNumber, DEFAULT_OPTIONS.seed)
    .option('--events <n>', `events for the whole day, attacks included (${1000} to ${100_000_000}; 250k and 2M work)`, eventCount, DEFAULT_OPTIONS.events)
    .option('--hosts <n>', 'internal hosts (30 to 5000)', wholeNumber, DEFAULT_OPTIONS.hosts)
    .option('--day <YYYY-MM-DD>', 'the day to simulate (UTC); a fixed working day by default so output does not depend on today', DEFAULT_OPTIONS.day)
    .addOption(new Option('--proxy-format <format>', 'proxy log format: zeek http.log (user agents, labels in each line) or squid access.log').choices(['zeek', 'squid']).default('zeek'))
    .option('--attacks <names>', `comma-separated attacks to inject: ${ATTACK_NAMES.join(', ')}; or all, none`, 'all')
    .option('--top-domains <path>', 'ranked domain list (Tranco or Alexa csv, gzip or plain) or "builtin"; default ../shared/data/top-domains when present, else built-in')
    .option('--json', 'print the summary (files, counts, attacks, events/s) as JSON on stdout')
    .action((opts: GenerateCliOptions) => {
      const domains = topDomainsFor(opts.topDomains);
      const options: DemoDayOptions = {
        seed: opts.seed,
        events: opts.events,
        hosts: opts.hosts,
        day: opts.day,
        proxyFormat: opts.proxyFormat,
        attacks: attackList(opts.attacks),
        topDomains: domains?.domains,
        topDomainSource: domains?.source,
      };
      const problems = validateOptions(options);
      if (problems.length > 0) throw new UserError(problems.join('; '), 2);
      const bar = progressBar(!opts.json);
      const started = process.hrtime.bigint();
      let result;
      try {
        result = writeDemoDay(opts.out, options, bar.update);
      } finally {
        bar.stop();
      }
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const eventsPerSecond = Math.round(result.counts.total / Math.max(seconds, 0.001));
      if (opts.json) {
        printJson({ ...result, seconds: Math.round(seconds * 100) / 100, eventsPerSecond });
        return;
      }
      const c = result.counts;
      info(`wrote ${c.total} events to ${result.directory} in ${seconds.toFixed(1)} s (${eventsPerSecond} events/s)`);
      const line = (type: 'flow' | 'dns' | 'proxy', format: string) => info(`  ${`${type} (${format}):`.padEnd(20)} ${c[type]} in ${result.files[type].length} files under ${type}/`);
      line('flow', result.formats.flow);
      line('dns', result.formats.dns);
      line('proxy', result.formats.proxy);
      info(`  attacks: ${result.attacks.map((a) => `${a.name} ${a.records}`).join(', ') || 'none'} (labels in ${result.labelsFile})`);
      info(`  domains: ${result.topDomains.count} from ${result.topDomains.source}`);
      info(`ingest with: spothreat ingest flow --format nfdump-csv ${result.directory}/flow/*.csv`);
      info(`             spothreat ingest dns --format zeek ${result.directory}/dns/*.log`);
      info(`             spothreat ingest proxy --format ${result.formats.proxy} ${result.directory}/proxy/*.log`);
    });
}
