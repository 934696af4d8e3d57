import { LabelIndex } from '../demo/labelMatch';
import { LabelPolicy, LabelsFileLabels } from './labels';

const doc = (label?: string) => ({ spothreat: { format: 'zeek', file: 'f', record: 1, label }, other: { code: 0 } });

describe('the label policy of an evaluation', () => {
  const policy = new LabelPolicy('label', ['Benign'], ['Background', 'Unknown']);

  it('reads spothreat.label through the short name and matches values case-insensitively', () => {
    expect(policy.classify(doc('BENIGN'))).toBe('benign');
    expect(policy.classify(doc(' benign '))).toBe('benign');
    expect(policy.classify(doc('Background'))).toBe('ignored');
    expect(policy.classify(doc('Malicious'))).toBe('attack');
    expect(policy.classify(doc(undefined))).toBe('unlabelled');
  });

  it('reads any dotted field, numbers included', () => {
    const numeric = new LabelPolicy('other.code', ['0']);
    expect(numeric.classify(doc())).toBe('benign');
    expect(numeric.classify({ other: { code: 1 } })).toBe('attack');
    expect(numeric.classify({ other: 'flat' })).toBe('unlabelled');
  });

  it('refuses a value that is both benign and ignored, and a missing benign value', () => {
    expect(() => new LabelPolicy('label', ['x'], ['X'])).toThrow('label "x" is given as both benign and ignored');
    expect(() => new LabelPolicy('label', [])).toThrow('at least one benign label value is needed (--benign)');
    expect(() => new LabelPolicy('a..b', ['x'])).toThrow('label field "a..b" is not a dotted field path');
  });
});

describe('ground truth from a labels file (file and line of every attack record)', () => {
  const labels = new LabelsFileLabels(new LabelIndex([{ file: 'flow/nfcapd.202503110900.csv', line: 17, attack: 'port-scan' }]));
  const decoded = (file: string, record: number) => ({ spothreat: { format: 'nfdump-csv', file, record } });

  it('finds a listed record through the provenance the decoder stored, whatever folder the file was read from', () => {
    expect(labels.classify(decoded('/tmp/day/flow/nfcapd.202503110900.csv', 17))).toBe('attack');
    expect(labels.attackOf(decoded('/tmp/day/flow/nfcapd.202503110900.csv', 17))).toBe('port-scan');
  });

  it('counts every record the file does not list as benign, and one without provenance as unlabelled', () => {
    expect(labels.classify(decoded('/tmp/day/flow/nfcapd.202503110900.csv', 18))).toBe('benign');
    expect(labels.attackOf(decoded('/tmp/day/flow/nfcapd.202503110900.csv', 18))).toBeUndefined();
    expect(labels.classify({ source: { ip: '10.0.0.1' } })).toBe('unlabelled');
  });

  it('refuses a labels file that lists nothing', () => {
    expect(() => new LabelsFileLabels(new LabelIndex([]))).toThrow('the labels file lists no attack record');
  });
});
