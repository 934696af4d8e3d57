import { CorpusBuilder, type Corpus } from './corpus';
import { SeededRandom } from './random';

/**
 * A corpus drawn from known topics, for tests and the benchmark: each planted topic owns `wordsPerTopic` words
 * of its own, and each document mixes one to two topics.
 */
export interface PlantedCorpus {
  corpus: Corpus;
  /** The words of each planted topic. */
  topicWords: string[][];
}

export function plantedCorpus(options: {
  topics: number;
  wordsPerTopic: number;
  documents: number;
  tokensPerDocument: number;
  seed: number;
}): PlantedCorpus {
  const random = new SeededRandom(options.seed);
  const topicWords = Array.from({ length: options.topics }, (_t, k) =>
    Array.from({ length: options.wordsPerTopic }, (_w, i) => `t${k}_w${i}`),
  );
  const builder = new CorpusBuilder();
  for (let d = 0; d < options.documents; d++) {
    const first = random.nextInt(options.topics);
    const second = random.nextInt(options.topics);
    const share = 0.5 + 0.5 * random.next();
    for (let t = 0; t < options.tokensPerDocument; t++) {
      const topic = random.next() < share ? first : second;
      // Within a topic, word i is drawn with weight 1 / (i + 1), so topics have a head and a tail.
      const words = topicWords[topic];
      builder.add(`10.0.${d >> 8}.${d & 255}`, words[zipfIndex(random, words.length)]);
    }
  }
  return { corpus: builder.build(), topicWords };
}

function zipfIndex(random: SeededRandom, n: number): number {
  let total = 0;
  for (let i = 0; i < n; i++) total += 1 / (i + 1);
  let target = random.next() * total;
  for (let i = 0; i < n; i++) {
    target -= 1 / (i + 1);
    if (target <= 0) return i;
  }
  return n - 1;
}
