import { CorpusBuilder, SeededRandom, trainLda } from '../lda';
import { flowWords, type FlowWordInput } from '../words';
import { LdaExplainer } from './explain';
import { LdaScorer } from './scorer';
import { SuspiciousSelector } from './selection';

interface Flow {
  srcIp: string;
  dstIp: string;
  word: FlowWordInput;
}

/** Office hours web and DNS from 40 clients to two servers, plus the planted oddities. */
function window(): { flows: Flow[]; planted: Flow[] } {
  const random = new SeededRandom(9);
  const flows: Flow[] = [];
  for (let i = 0; i < 20_000; i++) {
    const client = `10.0.0.${random.nextInt(40)}`;
    const web = random.next() < 0.7;
    flows.push({
      srcIp: client,
      dstIp: web ? '192.0.2.80' : '192.0.2.53',
      word: {
        sport: 40000 + random.nextInt(20000),
        dport: web ? 443 : 53,
        proto: web ? 'TCP' : 'UDP',
        hour: 9 + random.nextInt(8),
        bytes: web ? 20_000 + random.nextInt(20_000) : 80 + random.nextInt(40),
        packets: web ? 20 + random.nextInt(10) : 2,
      },
    });
  }
  const planted: Flow[] = [
    // A client pushing 3 GB out over SSH at 3 am.
    { srcIp: '10.0.0.7', dstIp: '203.0.113.66', word: { sport: 51000, dport: 22, proto: 'TCP', hour: 3, bytes: 3e9, packets: 2e6 } },
    // The DNS server suddenly answering from a high port to a client's port 4444.
    { srcIp: '192.0.2.53', dstIp: '10.0.0.9', word: { sport: 53000, dport: 4444, proto: 'TCP', hour: 23, bytes: 900_000, packets: 700 } },
  ];
  return { flows: [...flows, ...planted], planted };
}

describe('words -> LDA -> scores -> selection', () => {
  it('ranks the planted flows first and explains them against the IP usual words', () => {
    const { flows, planted } = window();
    const builder = new CorpusBuilder();
    for (const flow of flows) {
      const words = flowWords(flow.word);
      builder.add(flow.srcIp, words.srcWord);
      builder.add(flow.dstIp, words.dstWord);
    }
    const model = trainLda(builder.build(), { topics: 5, iterations: 30 });
    const scorer = new LdaScorer(model);
    const selector = new SuspiciousSelector<Flow>({ tol: 1e-3, maxResults: 10 });
    for (const flow of flows) {
      const words = flowWords(flow.word);
      selector.offer(scorer.scoreFlow(flow.srcIp, words.srcWord, flow.dstIp, words.dstWord), flow);
    }
    const top = selector.results();
    expect(top.slice(0, 2).map((s) => s.item)).toEqual(expect.arrayContaining(planted));

    const exfiltration = flowWords(planted[0].word);
    const explanation = new LdaExplainer(scorer, 3).explainFlow('10.0.0.7', exfiltration.srcWord, '203.0.113.66', exfiltration.dstWord);
    expect(explanation.word).toBe(exfiltration.srcWord);
    expect(explanation.usualWords).toHaveLength(3);
    expect(explanation.usualWords[0].probability).toBeGreaterThan(explanation.probability * 100);
  });

  it('stops flagging a look-alike once analysts accepted it (DUPFACTOR feedback)', () => {
    const { flows, planted } = window();
    const accepted = planted[0];
    const lookAlike: Flow = { ...accepted, word: { ...accepted.word, sport: 52001 } };
    const score = (withFeedback: boolean) => {
      const builder = new CorpusBuilder();
      for (const flow of flows) {
        const words = flowWords(flow.word);
        builder.add(flow.srcIp, words.srcWord);
        builder.add(flow.dstIp, words.dstWord);
      }
      if (withFeedback) {
        const words = flowWords(accepted.word);
        builder.addFeedback(accepted.srcIp, words.srcWord, 1000);
        builder.addFeedback(accepted.dstIp, words.dstWord, 1000);
      }
      const scorer = new LdaScorer(trainLda(builder.build(), { topics: 5, iterations: 30 }));
      const words = flowWords(lookAlike.word);
      return scorer.scoreFlow(lookAlike.srcIp, words.srcWord, lookAlike.dstIp, words.dstWord);
    };
    const before = score(false);
    const after = score(true);
    expect(before).toBeLessThan(1e-3);
    expect(after).toBeGreaterThan(0.1);
  });
});
