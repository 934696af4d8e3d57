import { flowWords } from '../words';
import { ServiceUseMeans, ServiceUses, serviceUseKey, type SideWord } from './serviceUse';

/** The two sides of a flow, its words made by the word rules. */
function flow(src: string, dst: string, sport: number, dport: number, bytes = 1026, packets = 10, hour = 3): SideWord[] {
  const words = flowWords({ sport, dport, proto: 'TCP', hour, bytes, packets });
  return [
    { document: src, word: words.srcWord },
    { document: dst, word: words.dstWord },
  ];
}

describe('serviceUseKey', () => {
  it('is the client, the server and the key port and protocol, whatever the bins and hour', () => {
    expect(serviceUseKey(flow('10.0.0.1', '10.0.0.2', 50000, 80))).toBe('10.0.0.1>10.0.0.2 80_TCP');
    expect(serviceUseKey(flow('10.0.0.1', '10.0.0.2', 50001, 80, 5000, 40, 17))).toBe('10.0.0.1>10.0.0.2 80_TCP');
  });

  it('puts the server second when the flow is the reply (the source owns the service port)', () => {
    expect(serviceUseKey(flow('10.0.0.2', '10.0.0.1', 80, 50000))).toBe('10.0.0.1>10.0.0.2 80_TCP');
  });

  it('takes the source as the client when no side serves', () => {
    expect(serviceUseKey(flow('10.0.0.1', '10.0.0.2', 40000, 50000))).toBe('10.0.0.1>10.0.0.2 333333_TCP');
    expect(serviceUseKey(flow('10.0.0.2', '10.0.0.1', 50000, 40000))).toBe('10.0.0.2>10.0.0.1 333333_TCP');
  });

  it('is undefined for a one-sided event (a DNS lookup, a proxy request)', () => {
    expect(serviceUseKey([{ document: '10.0.0.1', word: '2_3_1_12_2_4_1_0' }])).toBeUndefined();
  });

  it('tells services and directions apart', () => {
    const keys = new Set([flow('a', 'b', 50000, 80), flow('a', 'b', 50000, 443), flow('b', 'a', 50000, 80), flow('a', 'c', 50000, 80)].map(serviceUseKey));
    expect(keys.size).toBe(4);
  });
});

describe('ServiceUses', () => {
  // Concentration of an event, made up for the test: a word's bytes bin decides it.
  const concentrationOf = (words: SideWord[]) => (words[0].word.split('_')[3] === '12' ? 1.2 : 0.2);

  it('gives each use of several word pairs the event-weighted mean of their concentrations', () => {
    const uses = new ServiceUses();
    for (let i = 0; i < 6; i++) uses.add(flow('attacker', 'victim', 50000 + i, 80, 1026, 10));
    uses.add(flow('attacker', 'victim', 51000, 80, 700, 10));
    uses.add(flow('attacker', 'victim', 51001, 80, 700, 10));
    const means = uses.means(concentrationOf);
    // 6 flows at 1.2 and 2 at 0.2.
    expect(means.entries()).toEqual([['attacker>victim 80_TCP', (6 * 1.2 + 2 * 0.2) / 8]]);
    expect(means.lift(flow('attacker', 'victim', 51000, 80, 700, 10), 0.2)).toBeCloseTo(0.95, 12);
  });

  it('keeps no mean for a use of one word pair, nor for DNS and proxy events', () => {
    const uses = new ServiceUses();
    uses.add(flow('client', 'server', 50000, 443));
    uses.add(flow('client', 'server', 50001, 443));
    uses.add([{ document: 'client', word: 'dns-word' }]);
    expect(uses.size).toBe(1);
    expect(uses.means(concentrationOf).entries()).toEqual([]);
  });

  it('counts a reply in the use of its request', () => {
    const uses = new ServiceUses();
    uses.add(flow('client', 'server', 50000, 80, 1026));
    uses.add(flow('server', 'client', 80, 50000, 700));
    expect(uses.size).toBe(1);
    expect(uses.means(() => 1).entries()).toEqual([['client>server 80_TCP', 1]]);
  });
});

describe('ServiceUses, kept as numbers', () => {
  it('hands back each pair with the documents and words it was added with, in its own direction', () => {
    const request = flow('client', 'server', 50000, 80, 1026);
    const reply = flow('server', 'client', 80, 50000, 700);
    const uses = new ServiceUses();
    uses.add(request);
    uses.add(reply);
    uses.add(reply);
    const seen: SideWord[][] = [];
    const means = uses.means((sides) => {
      seen.push(sides);
      return sides[0].document === 'client' ? 3 : 0;
    });
    expect(seen).toHaveLength(2);
    expect(seen).toEqual(expect.arrayContaining([request, reply]));
    expect(means.entries()).toEqual([[serviceUseKey(request), 1]]);
    expect(serviceUseKey(reply)).toBe(serviceUseKey(request));
  });

  it('gives the same means, to the last bit and in the same order, whatever order the flows come in', () => {
    const flows = [
      ...Array.from({ length: 5 }, (_v, i) => flow('a', 'b', 50000 + i, 80, 100 * (i + 1))),
      ...Array.from({ length: 4 }, (_v, i) => flow('c', 'b', 50000 + i, 443, 700 * (i + 1))),
    ];
    const concentrationOf = (sides: SideWord[]) => 0.1 + sides[0].word.length / 7 + sides[1].document.length / 3;
    const meansOf = (order: SideWord[][]) => {
      const uses = new ServiceUses();
      for (const f of order) uses.add(f);
      return uses.means(concentrationOf).entries();
    };
    expect(meansOf([...flows].reverse())).toEqual(meansOf(flows));
    expect(meansOf(flows).map(([key]) => key)).toEqual(['a>b 80_TCP', 'c>b 443_TCP']);
  });
});

describe('ServiceUseMeans.lift', () => {
  const means = new ServiceUseMeans([['a>b 80_TCP', 0.9]]);

  it('never lowers an event', () => {
    expect(means.lift(flow('a', 'b', 50000, 80), 1.5)).toBe(1.5);
    expect(means.lift(flow('a', 'b', 50000, 80), 0.1)).toBe(0.9);
  });

  it('leaves events of other uses and one-sided events as they are', () => {
    expect(means.lift(flow('a', 'c', 50000, 80), 0.1)).toBe(0.1);
    expect(means.lift([{ document: 'a', word: 'w' }], 0.1)).toBe(0.1);
  });

  it('round-trips through its stored form', () => {
    expect(new ServiceUseMeans(means.entries()).lift(flow('a', 'b', 50000, 80), 0)).toBe(0.9);
  });
});
