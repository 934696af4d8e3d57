import { LabelIndex, parseLabelsJsonl, precisionAtK } from './labelMatch';

describe('precisionAtK', () => {
  const labels = new LabelIndex([
    { file: 'flow/nfcapd.1.csv', line: 3, attack: 'port-scan' },
    { file: 'flow/nfcapd.1.csv', line: 7, attack: 'beaconing' },
    { file: 'dns/dns.1.log', line: 3, attack: 'dga' },
  ]);

  it('counts ranked records whose file and line are labelled, matching the file by its last two path parts', () => {
    const ranked = [
      { file: '/home/me/demo/flow/nfcapd.1.csv', record: 3 },
      { file: '/home/me/demo/flow/nfcapd.1.csv', record: 4 },
      { file: '/home/me/demo/flow/nfcapd.1.csv', record: 7 },
      { file: '/home/me/demo/flow/nfcapd.1.csv', record: 9 },
    ];
    const report = precisionAtK(ranked, labels, 2);
    expect(report).toEqual({ k: 2, ranked: 2, attacks: 1, precision: 0.5, byAttack: { 'port-scan': 1 } });
    expect(precisionAtK(ranked, labels, 10)).toMatchObject({ ranked: 4, attacks: 2, precision: 0.5 });
  });

  it('does not confuse the same line number in another file', () => {
    expect(precisionAtK([{ file: 'x/flow/other.csv', record: 3 }], labels, 1).attacks).toBe(0);
  });

  it('gives a precision of 0 for an empty list', () => {
    expect(precisionAtK([], labels, 100).precision).toBe(0);
  });
});

describe('parseLabelsJsonl', () => {
  it('reads one label per line and skips blank lines', () => {
    const text = '{"file":"flow/a.csv","line":2,"attack":"dga"}\n\n{"file":"dns/b.log","line":5,"attack":"dns-tunnelling"}\n';
    expect(parseLabelsJsonl(text, 'labels.jsonl')).toHaveLength(2);
  });

  it('names the file and line of a malformed label', () => {
    expect(() => parseLabelsJsonl('{"file":"a","line":1,"attack":"x"}\n{oops', 'labels.jsonl')).toThrow('labels.jsonl line 2: not JSON');
    expect(() => parseLabelsJsonl('{"file":"a","attack":"x"}', 'labels.jsonl')).toThrow(/line 1: needs/);
  });
});
