import path from 'node:path';
import { main } from '../main';

const CIC = path.resolve(__dirname, '../../../../../shared/data/cse-cic-ids2018-samples');

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    const code = await main(['node', 'spothreat', 'eval', ...args]);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('spothreat eval', () => {
  it('prints exactly the metric keys with --json', async () => {
    const result = await run([
      'flow',
      '--format', 'cicflowmeter',
      '--model', 'autoencoder',
      '--label-field', 'label',
      '--benign', 'Benign',
      '--train', path.join(CIC, 'feb14_Bruteforce-Wednesday-14-02-2018_sample6053.csv.gz'),
      '--epochs', '1',
      '--json',
      path.join(CIC, 'feb20_DDoS1-Tuesday-20-02-2018_sample6000.csv.gz'),
    ]);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(Object.keys(json)).toEqual([
      'precision', 'recall', 'f1', 'accuracy', 'pr_auc', 'roc_auc',
      'precision_at_10', 'precision_at_100', 'precision_at_1000', 'rows', 'positives',
    ]);
    expect(json).toMatchObject({ rows: 6000, positives: 3000 });
  });

  it('with --seeds, repeats the evaluation per seed and prints the mean, range and the fused ranking\'s standing', async () => {
    const toy = path.join(CIC, 'improved_all-days_toy_dataset_5000rows.csv.gz');
    const common = ['flow', '--format', 'cicflowmeter', '--model', 'fused', '--compare', '--label-field', 'label', '--benign', 'Benign', '--epochs', '2', '--day', '2018-02-15', toy];
    const result = await run([...common, '--seed', '3', '--seeds', '2', '--json']);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.seeds).toEqual([3, 4]);
    expect(json.runs.map((r: { seed: number }) => r.seed)).toEqual([3, 4]);
    for (const name of ['lda', 'autoencoder', 'isolation-forest', 'fused']) {
      const values = json.runs.map((r: { results: Record<string, { pr_auc: number }> }) => r.results[name].pr_auc);
      expect(json.mean[name].pr_auc).toBeCloseTo((values[0] + values[1]) / 2, 12);
      expect(json.min[name].pr_auc).toBe(Math.min(...values));
      expect(json.max[name].pr_auc).toBe(Math.max(...values));
      expect(Object.keys(json.mean[name])).toContain('precision_at_100');
    }
    const standing = json.fused_standing.pr_auc;
    expect(standing.above + standing.level + standing.below).toBe(2);
    // Each seed's run is the run --seed N gives on its own.
    const single = await run([...common, '--seed', '4', '--json']);
    expect(JSON.parse(single.stdout).fused).toEqual(json.runs[1].results.fused);
  }, 120_000);

  it('fails with a one-line reason for a model that cannot score the data type', async () => {
    const result = await run(['dns', '--format', 'zeek', '--model', 'autoencoder', '--label-field', 'label', '--benign', 'Benign', 'x.log']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toBe('spothreat: the autoencoder model scores flows; for dns events use --model lda, --model concentration, --model heuristics, --model fused\n');
  });

  it('asks for the ground truth when neither a label field nor a labels file is given', async () => {
    const result = await run(['flow', '--format', 'zeek', '--model', 'lda', 'x.log']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toBe('spothreat: the ground truth is missing: give --label-field F --benign V, or --labels-file FILE\n');
  });

  it('refuses a labels file that cannot be read, naming it', async () => {
    const result = await run(['flow', '--format', 'nfdump-csv', '--model', 'lda', '--labels-file', '/nonexistent/labels.jsonl', 'x.csv']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/^spothreat: --labels-file \/nonexistent\/labels.jsonl: ENOENT/);
  });

  it('refuses a malformed --day', async () => {
    const result = await run(['flow', '--format', 'zeek', '--model', 'lda', '--label-field', 'label', '--benign', 'Benign', '--day', '14/02/2018', 'x.log']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('a day must be a date YYYY-MM-DD, got "14/02/2018"');
  });

  it('refuses an LDA prior of 1 or less, saying why', async () => {
    const result = await run(['flow', '--format', 'zeek', '--model', 'lda', '--label-field', 'label', '--benign', 'Benign', '--lda-alpha', '1', 'x.log']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('--lda-alpha must be a number > 1 (the EM estimator uses prior - 1), got "1"');
  });
});
