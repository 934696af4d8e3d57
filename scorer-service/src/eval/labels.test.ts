import { LabelPolicy } from './labels';

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
