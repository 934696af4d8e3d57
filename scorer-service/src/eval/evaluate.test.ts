import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { LabelIndex, parseLabelsJsonl } from '../demo/labelMatch';
import { writeDemoDay } from '../demo/generator/files';
import { TopDomainClassifier } from '../domain/topDomains';
import { evaluate, type EvaluationRequest } from './evaluate';
import { LabelPolicy, LabelsFileLabels } from './labels';

// Real third-party captures beside the repository (see ../shared/data/INDEX.md); never copied into it.
const DATA = path.resolve(__dirname, '../../../../shared/data');
const CIC = path.join(DATA, 'cse-cic-ids2018-samples');
const STRATOSPHERE = path.join(DATA, 'stratosphere-zeek-labeled');

tf.env().set('IS_TEST', true);

function request(overrides: Partial<EvaluationRequest>): EvaluationRequest {
  return {
    dataType: 'flow',
    format: 'cicflowmeter',
    paths: [],
    trainPaths: [],
    labels: new LabelPolicy('label', ['Benign']),
    models: ['autoencoder'],
    autoencoder: { epochs: 2 },
    lda: { tol: 1e-6, variant: 'seed', domains: new TopDomainClassifier({ registeredDomains: new Set(), labels: new Set() }), topics: 5, iterations: 10 },
    ...overrides,
  };
}

describe('spothreat eval, in-process on labelled files', () => {
  it("reproduces the paper's protocol: trains on one day's benign flows and measures another day", async () => {
    const report = await evaluate(
      request({
        paths: [path.join(CIC, 'feb20_DDoS1-Tuesday-20-02-2018_sample6000.csv.gz')],
        trainPaths: [path.join(CIC, 'feb14_Bruteforce-Wednesday-14-02-2018_sample6053.csv.gz')],
        models: ['autoencoder', 'isolation-forest'],
      }),
    );
    expect(report.training).toMatchObject({ rows: 3000, autoencoder: { trainingRows: 2400, validationRows: 600 } });
    // The cleaned edition has no ports: the model is trained without them.
    expect(report.training?.featuresUsed).not.toContain('destination_port');
    expect(report.results.map((r) => r.model)).toEqual(['autoencoder', 'isolation-forest']);
    for (const { metrics } of report.results) {
      expect(metrics).toMatchObject({ rows: 6000, positives: 3000 });
      expect(metrics.roc_auc).toBeGreaterThan(0.5);
    }
  });

  it('runs LDA per IP on a labelled Zeek conn log, leaving Unknown rows out of the metrics', async () => {
    const slipsLda = (lda: Partial<EvaluationRequest['lda']> = {}) =>
      evaluate(
        request({
          format: 'zeek',
          paths: [path.join(STRATOSPHERE, 'slips-test18-ctu-sme-11/conn.log.labeled.gz')],
          labels: new LabelPolicy('label', ['Benign'], ['Unknown']),
          models: ['lda'],
          lda: { ...request({}).lda, ...lda },
        }),
      );
    const report = await slipsLda();
    expect(report.labels).toEqual({ benign: 44, attack: 719, ignored: 3, unlabelled: 0 });
    expect(report.lda?.documents).toBeGreaterThan(1);
    expect(report.results[0].metrics).toMatchObject({ rows: 763, positives: 719 });
    // The held-out perplexity: a tenth of each IP's tokens, predicted far better than a uniform choice of word.
    const heldOut = report.lda!.heldOut;
    expect(heldOut.fraction).toBe(0.1);
    expect(heldOut.tokens).toBeGreaterThan(0);
    expect(heldOut.perplexity).toBeLessThan(heldOut.uniformPerplexity / 2);
    // The priors reach the model: a strong document-topic prior spreads every IP over the topics.
    const spread = await slipsLda({ alpha: 50 });
    expect(spread.lda!.heldOut.perplexity).toBeGreaterThan(heldOut.perplexity);
  });

  it('fuses the autoencoder and LDA into one ranking of the rows both can score', async () => {
    const report = await evaluate(
      request({
        format: 'zeek',
        paths: [path.join(STRATOSPHERE, 'slips-test18-ctu-sme-11/conn.log.labeled.gz')],
        labels: new LabelPolicy('label', ['Benign'], ['Unknown']),
        models: ['ensemble'],
        fusion: { allMethods: true },
      }),
    );
    expect(report.results.map((r) => r.fusion)).toEqual(['fisher', 'rank-average', 'reciprocal-rank', 'max-rank']);
    expect(report.results[0].operatingThreshold).toMatch(/^Fisher-combined p-value <= 0.05/);
    expect(report.results[0].metrics.rows + report.results[0].labelledRowsUnscored).toBe(763);
  });

  it('evaluates one UTC day of a multi-day file', async () => {
    const toy = path.join(CIC, 'improved_all-days_toy_dataset_5000rows.csv.gz');
    const report = await evaluate(request({ paths: [toy], trainPaths: [toy], trainDays: ['2018-02-22'], days: ['2018-02-14'] }));
    expect(report.rowsOutsideDays).toBe(4693);
    expect(report.training?.rows).toBe(237);
    expect(report.results[0].metrics).toMatchObject({ rows: 307, positives: 67 });
  });

  it("raises a flow's concentration to its service use's mean unless told not to (the DoS day of the toy sample)", async () => {
    // 15/02: the GoldenEye client's flows to its victim are mostly one word; a few fall in the next byte or packet bin.
    const toy = path.join(CIC, 'improved_all-days_toy_dataset_5000rows.csv.gz');
    const run = (serviceUses?: boolean) =>
      evaluate({ ...request({ paths: [toy], days: ['2018-02-15'], models: ['concentration'], lda: { ...request({}).lda, topics: 20, iterations: 20 } }), fused: { serviceUses } });
    const [lifted, alone] = [(await run()).results[0].metrics, (await run(false)).results[0].metrics];
    expect(lifted.rows).toBe(alone.rows);
    expect(lifted.pr_auc).toBeGreaterThan(alone.pr_auc!);
  });

  it('says why LDA cannot score flows that have no IPs or ports', async () => {
    await expect(
      evaluate(request({ paths: [path.join(CIC, 'feb14+feb20_sample_flows_18000rows_36feat.csv.gz')], models: ['lda'] })),
    ).rejects.toThrow('lda: no event has words');
  });

  it('refuses the autoencoder for DNS events', async () => {
    await expect(
      evaluate(request({ dataType: 'dns', format: 'zeek', paths: [path.join(STRATOSPHERE, 'slips-test18-ctu-sme-11/dns.log.labeled.gz')] })),
    ).rejects.toThrow('the autoencoder scores flows, not dns events');
  });
});

describe('spothreat eval on a generated demo day (labels file)', () => {
  let directory: string;
  beforeAll(() => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'spothreat-eval-day-'));
    writeDemoDay(directory, { seed: 3, events: 6000 });
  });
  afterAll(() => fs.rmSync(directory, { recursive: true, force: true }));

  const labelsOf = () => new LabelsFileLabels(new LabelIndex(parseLabelsJsonl(fs.readFileSync(path.join(directory, 'labels.jsonl'), 'utf8'), 'labels.jsonl')));
  const files = (folder: string) => fs.readdirSync(path.join(directory, folder)).map((f) => path.join(directory, folder, f));

  it('matches every record against the labels file by file and line, and names the attacks in the top of each ranking', async () => {
    const report = await evaluate(
      request({ format: 'zeek', dataType: 'dns', paths: files('dns'), labels: labelsOf(), models: ['lda', 'concentration', 'heuristics', 'fused'] }),
    );
    const manifest = JSON.parse(fs.readFileSync(path.join(directory, 'manifest.json'), 'utf8')) as { counts: { dns: number } };
    expect(report.labels.benign + report.labels.attack).toBe(manifest.counts.dns);
    expect(report.labels.attack).toBeGreaterThan(0);
    expect(report.results.map((r) => r.model)).toEqual(['lda', 'concentration', 'heuristics', 'fused']);
    const fused = report.results.find((r) => r.model === 'fused')!;
    expect(fused.fusedBy).toBe('fisher(concentration,heuristics) by conversation');
    expect(Object.keys(fused.attacksInTop?.k100 ?? {})).toContain('dns-tunnelling');
  });

  it('gives the fusion before (references counting events) on --count-by event, and the same rows either way', async () => {
    const run = (countBy: 'conversation' | 'event') =>
      evaluate({ ...request({ format: 'zeek', dataType: 'dns', paths: files('dns'), labels: labelsOf(), models: ['fused'] }), fused: { countBy } });
    const [byEvent, byConversation] = [(await run('event')).results[0], (await run('conversation')).results[0]];
    expect(byEvent.fusedBy).toBe('fisher(concentration,heuristics) by event');
    expect(byConversation.fusedBy).toBe('fisher(concentration,heuristics) by conversation');
    expect(byEvent.metrics.rows).toBe(byConversation.metrics.rows);
  });

  it("ranks the day's flow attacks higher fused than Spot's LDA alone, with the autoencoder trained on the window", async () => {
    const report = await evaluate(request({ format: 'nfdump-csv', paths: files('flow'), labels: labelsOf(), models: ['lda', 'autoencoder', 'fused'] }));
    const by = Object.fromEntries(report.results.map((r) => [r.model, r.metrics]));
    expect(report.results.find((r) => r.model === 'fused')?.fusedBy).toBe('fisher(concentration,autoencoder,heuristics) by conversation; autoencoder against its window sample');
    expect(by.fused.pr_auc).toBeGreaterThan(by.lda.pr_auc);
    expect(by.fused.precision_at_100).toBeGreaterThan(by.lda.precision_at_100);
  });
});
