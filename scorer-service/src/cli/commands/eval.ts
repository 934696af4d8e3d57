import { Option, type Command } from 'commander';
import { useTfBackend, TF_BACKEND_PREFERENCES, type TfBackendPreference } from '../../adapters/tf/backend';
import { readTopDomainsFile } from '../../adapters/files/topDomainsFile';
import { loadConfig, type Config } from '../../config';
import { AUTOENCODER_DEFAULTS } from '../../domain/autoencoder';
import { DATA_TYPES, type DataType } from '../../domain/events';
import { RANKING_METRIC_KEYS, type RankingMetrics } from '../../domain/evaluation/metrics';
import { FUSED_COMPONENTS, FUSION_METHODS, P_VALUE_COMBINATIONS, type FusedComponent, type FusionMethod, type PValueCombination } from '../../domain/fusion';
import { SPOT_LDA_PARAMS } from '../../domain/lda';
import { TopDomainClassifier } from '../../domain/topDomains';
import { WORD_VARIANTS, type WordVariant } from '../../domain/words';
import fs from 'node:fs';
import { LabelIndex, parseLabelsJsonl } from '../../demo/labelMatch';
import { DEFAULT_REFERENCE_SAMPLE, EVAL_MODELS, REFERENCE_UNITS, evaluate, type EvalModel, type EvaluationReport, type ModelResult, type ReferenceUnit } from '../../eval/evaluate';
import { LabelPolicy, LabelsFileLabels, type RowLabels } from '../../eval/labels';
import { SINGLE_MODELS, STANDING_METRICS, fusedStanding, seedsFrom, spreadOverSeeds, type MetricSpread, type SeedRun, type Standing } from '../../eval/seeds';
import { FORMATS } from '../../ingest/registry';
import { info, printJson, UserError } from '../output';
import { dataTypeArgument } from './score';

interface EvalOptions {
  format: string;
  model: EvalModel;
  labelField?: string;
  labelsFile?: string;
  benign: string[];
  ignoreLabel: string[];
  train: string[];
  day: string[];
  trainDay: string[];
  json?: boolean;
  compare?: boolean;
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  seeds: number;
  topics: number;
  iterations: number;
  chains?: number;
  ldaAlpha?: number;
  ldaBeta?: number;
  tol: number;
  wordVariant?: WordVariant;
  fusion: FusionMethod;
  fusedComponents?: FusedComponent[];
  combination: PValueCombination;
  referenceSize: number;
  countBy: ReferenceUnit;
  serviceUse: boolean;
  alpha: number;
  topDomains?: string;
  userDomain: string[];
  backend: TfBackendPreference;
}

/** Spot's spot.conf TOL: only events with P(word | IP) at or below it are suspicious. */
const SPOT_TOL = 1e-6;

function positiveInteger(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new UserError(`${name} must be an integer >= 1, got "${value}"`);
    return n;
  };
}

function positiveNumber(name: string, max = Infinity) {
  return (value: string): number => {
    const n = Number(value);
    if (!(n > 0) || n > max || value.trim() === '') throw new UserError(`${name} must be a number in (0, ${max}], got "${value}"`);
    return n;
  };
}

/** An LDA prior: > 1, as the MAP-EM estimator uses prior - 1. */
function priorAboveOne(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!(n > 1) || !Number.isFinite(n) || value.trim() === '') throw new UserError(`${name} must be a number > 1 (the EM estimator uses prior - 1), got "${value}"`);
    return n;
  };
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function collectDay(value: string, previous: string[] = []): string[] {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw new UserError(`a day must be a date YYYY-MM-DD, got "${value}"`);
  }
  return [...previous, value];
}

function formatMetric(value: number): string {
  return Number.isNaN(value) ? 'n/a' : value.toFixed(4);
}

function metricsJson(metrics: RankingMetrics): Record<string, number | null> {
  return Object.fromEntries(RANKING_METRIC_KEYS.map((key) => [key, Number.isNaN(metrics[key]) ? null : metrics[key]]));
}

/** `ensemble:fisher` for ensembles, the model name otherwise. */
function resultName(result: ModelResult): string {
  return result.fusion ? `${result.model}:${result.fusion}` : result.model;
}

/** A report's results under the names `eval` prints. */
function namedResults(report: EvaluationReport): { name: string; metrics: RankingMetrics }[] {
  return report.results.map((result) => ({ name: resultName(result), metrics: result.metrics }));
}

/** `{ name: { metric keys } }`, the JSON of a comparison. */
function metricsByName(results: readonly { name: string; metrics: RankingMetrics }[]): Record<string, Record<string, number | null>> {
  return Object.fromEntries(results.map(({ name, metrics }) => [name, metricsJson(metrics)]));
}

function collectComponent(value: string, previous: FusedComponent[] = []): FusedComponent[] {
  const names = value.split(',').map((v) => v.trim()).filter((v) => v !== '');
  for (const name of names) {
    if (!FUSED_COMPONENTS.includes(name as FusedComponent)) throw new UserError(`--fused-components: unknown component "${name}"; choose from ${FUSED_COMPONENTS.join(', ')}`);
  }
  return [...previous, ...(names as FusedComponent[])];
}

function attackList(found: Record<string, number>): string {
  const names = Object.keys(found).sort();
  return names.length === 0 ? 'none' : names.map((name) => `${name} (${found[name]})`).join(', ');
}

/** The ground truth: a labels file (file and line of every attack record), or a label field with its benign values. */
function rowLabels(options: EvalOptions): RowLabels {
  if (options.labelsFile) {
    if (options.labelField) throw new UserError('give either --labels-file or --label-field, not both');
    let text: string;
    try {
      text = fs.readFileSync(options.labelsFile, 'utf8');
    } catch (error) {
      throw new UserError(`--labels-file ${options.labelsFile}: ${(error as Error).message}`);
    }
    try {
      return new LabelsFileLabels(new LabelIndex(parseLabelsJsonl(text, options.labelsFile)));
    } catch (error) {
      throw new UserError(`--labels-file ${options.labelsFile}: ${(error as Error).message}`);
    }
  }
  if (!options.labelField) throw new UserError('the ground truth is missing: give --label-field F --benign V, or --labels-file FILE');
  if (options.benign.length === 0) throw new UserError('--label-field needs at least one --benign value');
  try {
    return new LabelPolicy(options.labelField, options.benign, options.ignoreLabel);
  } catch (error) {
    throw new UserError((error as Error).message);
  }
}

/** One row per detector, one column per metric key. */
function printMetricTable(rows: readonly { name: string; metrics: RankingMetrics }[]): void {
  const header = ['model', ...RANKING_METRIC_KEYS.map((k) => k.replace('precision_at_', 'p@'))];
  info(header.map((h) => h.padStart(h === 'model' ? 24 : 9)).join(' '));
  for (const { name, metrics } of rows) {
    const cells = RANKING_METRIC_KEYS.map((key) => {
      const v = metrics[key];
      return (key === 'rows' || key === 'positives' ? String(v) : formatMetric(v)).padStart(key.startsWith('precision_at_') ? 9 : Math.max(9, key.length));
    });
    info(`${name.padStart(24)} ${cells.join(' ')}`);
  }
}

function printSpread(spread: readonly MetricSpread[], runs: readonly SeedRun[], standings: Partial<Record<(typeof STANDING_METRICS)[number], Standing>>): void {
  const seeds = runs.map((r) => r.seed);
  info(`over ${seeds.length} seeds (${seeds.join(', ')}), the mean of each metric:`);
  printMetricTable(spread.map(({ name, mean }) => ({ name, metrics: mean })));
  info('and the range (lowest - highest) of PR-AUC and precision@100:');
  for (const { name, min, max } of spread) {
    info(`${name.padStart(24)}   PR-AUC ${formatMetric(min.pr_auc)} - ${formatMetric(max.pr_auc)}   p@100 ${formatMetric(min.precision_at_100)} - ${formatMetric(max.precision_at_100)}`);
  }
  for (const metric of STANDING_METRICS) {
    const s = standings[metric];
    if (s === undefined) continue;
    const counted = s.above + s.level + s.below;
    if (counted === 0) continue;
    const below = s.belowOn.map((b) => `seed ${b.seed}: ${formatMetric(b.fused)} against ${b.best} ${formatMetric(b.value)}`).join('; ');
    info(`  fused against the best of ${SINGLE_MODELS.join(', ')} in ${metric}: above on ${s.above}, level on ${s.level}, below on ${s.below} of ${counted} seeds${below ? ` (${below})` : ''}`);
  }
}

function printReport(report: EvaluationReport): void {
  const l = report.labels;
  const outside = report.rowsOutsideDays > 0 ? ` (${report.rowsOutsideDays} more outside --day skipped)` : '';
  info(`read ${report.rowsRead} rows: ${l.benign} benign, ${l.attack} attack, ${l.ignored} ignored, ${l.unlabelled} unlabelled${outside}`);
  const reasons = (title: string, counts: Record<string, number>) => {
    for (const [reason, count] of Object.entries(counts)) info(`  ${title}: ${count} x ${reason}`);
  };
  reasons('decoder rejected', report.decodeRejected);
  reasons('no LDA words', report.wordRejected);
  reasons('no flow features', report.featureRejected);
  if (report.training) {
    info(`autoencoder/isolation-forest training data: ${report.training.rows} rows from ${report.training.source}`);
    info(`  features used: ${report.training.featuresUsed.join(', ')}`);
    reasons('not scored by the autoencoder or forest', report.training.rowsLackingFeatures);
    const ae = report.training.autoencoder;
    if (ae) info(`  autoencoder: ${ae.trainingRows} training + ${ae.validationRows} validation rows, threshold ${ae.threshold.toPrecision(4)}`);
  }
  if (report.lda) {
    const { documents, vocabulary, tokens, chains, heldOut } = report.lda;
    info(`LDA corpus: ${documents} IP documents, ${vocabulary} distinct words, ${tokens} tokens; ${chains === 1 ? 'one chain' : `${chains} chains averaged`}`);
    info(
      `  held out ${Math.round(heldOut.fraction * 100)} % of each IP's tokens (${heldOut.tokens} tokens), refitted on the rest: ` +
        `perplexity ${heldOut.perplexity.toFixed(1)} against ${heldOut.uniformPerplexity} for a uniform choice over the vocabulary`,
    );
  }
  printMetricTable(namedResults(report));
  for (const { model, reason } of report.skipped) info(`  ${model}: skipped, ${reason}`);
  for (const result of report.results) {
    const unscored = result.labelledRowsUnscored > 0 ? `; ${result.labelledRowsUnscored} labelled rows it could not score are left out` : '';
    const by = result.fusedBy ? ` [${result.fusedBy}]` : '';
    info(`  ${resultName(result)}${by}: flagged when ${result.operatingThreshold}${unscored}`);
  }
  for (const result of report.results) {
    if (!result.attacksInTop) continue;
    info(`  ${resultName(result)}: top 100 holds ${attackList(result.attacksInTop.k100)}; top 1000 holds ${attackList(result.attacksInTop.k1000)}`);
  }
}

async function domainClassifier(options: EvalOptions, scoring: Config['scoring']): Promise<TopDomainClassifier> {
  const file = options.topDomains ?? scoring.topDomainsFile;
  const list = file ? await readTopDomainsFile(file) : { registeredDomains: new Set<string>(), labels: new Set<string>() };
  const userDomains = options.userDomain.length > 0 ? options.userDomain : scoring.userDomains;
  return new TopDomainClassifier(list, { userDomains });
}

export function registerEval(program: Command): void {
  program
    .command('eval')
    .description(
      'Evaluate a detector on labelled files, in-process (no services): precision, recall, F1 and accuracy at the ' +
        "detector's operating threshold, PR-AUC, ROC-AUC and precision@10/100/1000 of its ranking. See docs/evaluation.md.",
    )
    .argument('<type>', `data type: ${DATA_TYPES.join(', ')}`, dataTypeArgument)
    .argument('<paths...>', 'labelled files to score and measure')
    .requiredOption('--format <name>', `input format: ${FORMATS.join(', ')}`)
    .addOption(new Option('--model <name>', 'detector to evaluate').choices(EVAL_MODELS as string[]).makeOptionMandatory())
    .option('--label-field <field>', 'dotted field holding the label (label = spothreat.label, label_detail)')
    .option('--benign <value>', 'label value meaning benign; repeat for several (case-insensitive)', collect, [])
    .option('--labels-file <file>', "instead of a label field: a labels.jsonl listing every attack record by file and line (spothreat generate's); other records are benign")
    .option('--ignore-label <value>', 'label value left out of the metrics (e.g. Background); repeatable', collect, [])
    .option('--train <path>', 'file whose benign rows train the autoencoder / isolation forest (the paper: another day); repeatable', collect, [])
    .option('--day <yyyy-mm-dd>', 'evaluate only rows of this UTC day; repeatable', collectDay, [])
    .option('--train-day <yyyy-mm-dd>', 'train only on rows of this UTC day; repeatable', collectDay, [])
    .option('--compare', 'evaluate every detector that can run on these files, and print them side by side')
    .option('--json', 'print the metrics as JSON on stdout')
    .option('--epochs <n>', 'autoencoder epochs', positiveInteger('--epochs'), AUTOENCODER_DEFAULTS.epochs)
    .option('--batch-size <n>', 'autoencoder batch size', positiveInteger('--batch-size'), AUTOENCODER_DEFAULTS.batchSize)
    .option('--learning-rate <r>', 'autoencoder Adam learning rate', positiveNumber('--learning-rate', 1), AUTOENCODER_DEFAULTS.learningRate)
    .option('--seed <n>', 'seed of every random choice', positiveInteger('--seed'), 1)
    .option(
      '--seeds <n>',
      'repeat the evaluation with n seeds (--seed, --seed + 1, ...) and print the mean and range of each metric; with --compare, on how many seeds the fused ranking is above every single model',
      positiveInteger('--seeds'),
      1,
    )
    .option('--topics <k>', 'LDA topics', positiveInteger('--topics'), SPOT_LDA_PARAMS.topics)
    .option('--iterations <n>', 'LDA EM iterations', positiveInteger('--iterations'), SPOT_LDA_PARAMS.iterations)
    .option('--lda-alpha <a>', 'LDA document-topic prior, > 1 (default: the configured one, SPOTHREAT_LDA_ALPHA; Spot: 1.02)', priorAboveOne('--lda-alpha'))
    .option('--lda-beta <b>', 'LDA topic-word prior, > 1 (default: the configured one, SPOTHREAT_LDA_BETA; Spot: 1.001)', priorAboveOne('--lda-beta'))
    .option('--chains <n>', 'most LDA chains averaged, fewer on large files (default: the configured one, SPOTHREAT_LDA_CHAINS)', positiveInteger('--chains'))
    .option('--tol <p>', "LDA operating threshold: flag P(word | IP) <= tol (Spot's spot.conf: 1e-6)", positiveNumber('--tol', 1), SPOT_TOL)
    .addOption(new Option('--word-variant <name>', 'word grammar (default: the configured one)').choices(WORD_VARIANTS as string[]))
    .addOption(new Option('--fusion <method>', 'how the ensemble combines LDA and autoencoder').choices(FUSION_METHODS as string[]).default('fisher'))
    .option('--fused-components <list>', `components of the fused ranking, comma-separated: ${FUSED_COMPONENTS.join(', ')} (default: concentration,autoencoder,heuristics)`, collectComponent)
    .addOption(new Option('--combination <method>', 'how the fused ranking combines its p-values').choices(P_VALUE_COMBINATIONS as string[]).default('fisher'))
    .option('--reference-size <n>', "events in the window sample the fused ranking's p-values are taken against", positiveInteger('--reference-size'), DEFAULT_REFERENCE_SAMPLE)
    .addOption(
      new Option('--count-by <unit>', "what the fused ranking's window references count: conversation (a flow's IP pair, a lookup's or request's client) or event (the fusion before, the autoencoder against its validation errors)")
        .choices(REFERENCE_UNITS as string[])
        .default('conversation'),
    )
    .option('--no-service-use', "the fused ranking's concentration of each flow alone, not raised to its service use's mean (the ranking before)")
    .option('--alpha <p>', 'ensemble operating threshold: fused p-value (or top share of the window) <= alpha', positiveNumber('--alpha', 1), 0.05)
    .option('--top-domains <file>', 'top-domain list for DNS/proxy words (default: SPOTHREAT_TOP_DOMAINS)')
    .option('--user-domain <domain>', "the user's own domain for DNS/proxy words; repeatable", collect, [])
    .addOption(new Option('--backend <name>', 'tfjs backend').choices(TF_BACKEND_PREFERENCES as string[]).default('auto'))
    .action(async (dataType: DataType, paths: string[], options: EvalOptions) => {
      const labels = rowLabels(options);
      const anyType: EvalModel[] = ['lda', 'concentration', 'heuristics', 'fused'];
      const models: EvalModel[] = options.compare
        ? EVAL_MODELS.filter((model) => dataType === 'flow' || anyType.includes(model))
        : [options.model];
      if (dataType !== 'flow' && models.some((model) => !anyType.includes(model))) {
        throw new UserError(`the ${options.model} model scores flows; for ${dataType} events use --model ${anyType.join(', --model ')}`);
      }
      if (dataType === 'flow' && models.some((model) => model !== 'lda' && model !== 'concentration' && model !== 'heuristics')) {
        const backend = await useTfBackend(options.backend);
        if (!options.json) info(`tfjs backend: ${backend}`);
      }
      const quiet = options.json === true && !process.stderr.isTTY;
      const { scoring } = loadConfig();
      const domains = await domainClassifier(options, scoring);
      const evaluateWithSeed = (seed: number) => evaluate({
        dataType,
        format: options.format,
        paths,
        trainPaths: options.train,
        days: options.day,
        trainDays: options.trainDay,
        labels,
        models,
        autoencoder: { epochs: options.epochs, batchSize: options.batchSize, learningRate: options.learningRate, seed },
        isolationForest: { seed },
        lda: {
          topics: options.topics,
          iterations: options.iterations,
          seed,
          chains: options.chains ?? scoring.chains,
          alpha: options.ldaAlpha ?? scoring.alpha,
          beta: options.ldaBeta ?? scoring.beta,
          tol: options.tol,
          variant: options.wordVariant ?? scoring.wordVariant,
          domains,
        },
        fusion: { method: options.fusion, alpha: options.alpha, allMethods: options.compare },
        fused: { components: options.fusedComponents, combination: options.combination, referenceSize: options.referenceSize, countBy: options.countBy, serviceUses: options.serviceUse },
        skipUnavailable: options.compare,
        onPhase: quiet ? undefined : (message) => info(message),
      }).catch((error: unknown) => {
        throw new UserError(error instanceof Error ? error.message : String(error));
      });
      if (options.seeds === 1) {
        const report = await evaluateWithSeed(options.seed);
        if (!quiet) printReport(report);
        if (options.json) {
          if (options.compare) printJson(metricsByName(namedResults(report)));
          else printJson(metricsJson(report.results[0].metrics));
        }
        return;
      }
      const runs: SeedRun[] = [];
      for (const seed of seedsFrom(options.seed, options.seeds)) {
        if (!quiet) info(`seed ${seed}`);
        const report = await evaluateWithSeed(seed);
        if (!quiet && runs.length === 0) printReport(report);
        runs.push({ seed, results: namedResults(report) });
      }
      const spread = spreadOverSeeds(runs);
      const standings = options.compare ? Object.fromEntries(STANDING_METRICS.map((metric) => [metric, fusedStanding(runs, metric)])) : {};
      if (!quiet) printSpread(spread, runs, standings);
      if (options.json) {
        const byName = (pick: (s: MetricSpread) => RankingMetrics) => metricsByName(spread.map((s) => ({ name: s.name, metrics: pick(s) })));
        const summary: Record<string, unknown> = {
          seeds: runs.map((r) => r.seed),
          mean: byName((s) => s.mean),
          min: byName((s) => s.min),
          max: byName((s) => s.max),
          runs: runs.map((r) => ({ seed: r.seed, results: metricsByName(r.results) })),
        };
        if (options.compare) summary.fused_standing = standings;
        printJson(summary);
      }
    });
}
