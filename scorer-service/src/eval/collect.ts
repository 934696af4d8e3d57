import type { DataType, FlowEvent, ProxyEvent } from '../domain/events';
import { FeatureMatrix, flowFeaturesOf } from '../domain/autoencoder';
import { dnsHeuristicInput, flowHeuristicInput, proxyHeuristicInput, type DnsHeuristicInput, type FlowHeuristicInput } from '../domain/heuristics';
import { CorpusBuilder } from '../domain/lda';
import type { DnsRecord, FlowRecord, ProxyRecord } from '../domain/words';
import { UserAgentCounts, type DomainClassifier, type WordVariant } from '../domain/words';
import { PLACEHOLDER_IP_TAG } from '../ingest/decoders/cicflowmeter';
import { getDecoder } from '../ingest/registry';
import { ReasonCounter, wordsOfEvent, type WordContext } from '../scoring/eventWords';
import type { LabelClass, RowLabels } from './labels';

/**
 * Reads labelled files into what the detectors need, keeping no documents: per row its label class, its LDA
 * words (as corpus ids) and its autoencoder features. A row that a detector cannot use is kept with the reason,
 * so every row read is accounted for.
 */

export const LABEL_CODES: Record<LabelClass, number> = { benign: 0, attack: 1, ignored: 2, unlabelled: 3 };

export interface ReadRequest {
  dataType: DataType;
  format: string;
  paths: readonly string[];
  labels: RowLabels;
  /** Collect the rows' LDA words, numbered in this table. */
  words?: WordTable;
  /** Word creation settings; `domains` is needed for DNS and proxy words. */
  wordSettings?: { variant: WordVariant; domains: DomainClassifier };
  /** Extract autoencoder features (flows only). */
  features: boolean;
  /** Keep what the attack heuristics read of each row (needs `words`). */
  heuristics?: boolean;
  /** Keep only rows whose `@timestamp` falls on one of these UTC days (YYYY-MM-DD); all rows when empty. */
  days?: readonly string[];
  onFile?: (path: string) => void;
}

export interface CollectedRows {
  /** Rows decoded (decoder rejections are not rows). */
  count: number;
  /** LABEL_CODES per row. */
  label: number[];
  /** Index into `attackNames` of the row's attack, -1 when the labels name none. */
  attack: number[];
  /** Attack names in first-seen order. */
  attackNames: string[];
  /** WordTable ids of the row's documents and words; -1 when the row has no words. DNS and proxy rows have no destination side. */
  sourceDocument: number[];
  sourceWord: number[];
  destinationDocument: number[];
  destinationWord: number[];
  /** What the attack heuristics read of the row; undefined without words. */
  heuristicInput: (FlowHeuristicInput | DnsHeuristicInput | undefined)[];
  wordReasons: ReasonCounter;
  /** Row of `features` holding this row's features; -1 when it has none. */
  featureRow: number[];
  features: FeatureMatrix;
  featureReasons: ReasonCounter;
  /** Records the decoder rejected, with reasons. */
  decodeRejected: ReasonCounter;
  /** Decoded documents skipped because they fall outside the requested days. */
  outsideDays: number;
  labelCounts: Record<LabelClass, number>;
}

async function* decodeAll(request: ReadRequest, rejected: ReasonCounter, announce: boolean): AsyncGenerator<unknown> {
  const decoder = getDecoder(request.format);
  if (!decoder.dataTypes.includes(request.dataType)) {
    throw new Error(`format ${request.format} carries ${decoder.dataTypes.join(', ')} events, not ${request.dataType}`);
  }
  for (const path of request.paths) {
    if (announce) request.onFile?.(path);
    for await (const result of decoder.decode(path, request.dataType, { file: path })) {
      if (result.ok) yield result.doc;
      else rejected.add(result.reason);
    }
  }
}

const NO_IP_WORDS = { ok: false as const, reason: 'the source records no IP addresses (placeholder 0.0.0.0): there is no per-IP document' };

/** Flows of CIC editions without IPs carry a placeholder address; all of them in one "IP" document would be noise. */
function hasPlaceholderIp(doc: unknown): boolean {
  const tags = (doc as { tags?: unknown }).tags;
  return Array.isArray(tags) && tags.includes(PLACEHOLDER_IP_TAG);
}

/** Whether a document's `@timestamp` falls on one of `days` (every document when there are none). */
function dayFilter(days: readonly string[] = []): (doc: unknown) => boolean {
  if (days.length === 0) return () => true;
  const set = new Set(days);
  return (doc) => set.has(String((doc as { '@timestamp'?: unknown })['@timestamp']).slice(0, 10));
}

/** Document keys (IPs) and words numbered in first-seen order, so rows can keep ids instead of strings. */
export class WordTable {
  readonly documents: string[] = [];
  readonly words: string[] = [];
  private readonly documentIds = new Map<string, number>();
  private readonly wordIds = new Map<string, number>();

  documentId(key: string): number {
    return intern(key, this.documentIds, this.documents);
  }

  wordId(word: string): number {
    return intern(word, this.wordIds, this.words);
  }
}

function intern(key: string, ids: Map<string, number>, keys: string[]): number {
  let id = ids.get(key);
  if (id === undefined) {
    id = keys.length;
    ids.set(key, id);
    keys.push(key);
  }
  return id;
}

/**
 * The LDA corpus of the chosen rows (every row that has words when `include` is omitted): one document per IP,
 * each of a flow's two words in its own side's document.
 */
export function corpusOf(rows: CollectedRows, table: WordTable, include?: (row: number) => boolean): CorpusBuilder {
  const builder = new CorpusBuilder();
  for (let i = 0; i < rows.count; i++) {
    if (rows.sourceDocument[i] < 0 || (include && !include(i))) continue;
    builder.add(table.documents[rows.sourceDocument[i]], table.words[rows.sourceWord[i]]);
    if (rows.destinationDocument[i] >= 0) builder.add(table.documents[rows.destinationDocument[i]], table.words[rows.destinationWord[i]]);
  }
  return builder;
}

async function wordContextFor(request: ReadRequest): Promise<WordContext | undefined> {
  if (!request.words) return undefined;
  if (!request.wordSettings) throw new Error('LDA words need a word variant and a domain classifier');
  const context: WordContext = { ...request.wordSettings };
  if (request.dataType === 'proxy') {
    // The user-agent frequency feature needs the whole window first: one extra pass, as the scorer does.
    const userAgents = new UserAgentCounts();
    const wanted = dayFilter(request.days);
    for await (const doc of decodeAll(request, new ReasonCounter(), false)) {
      if (!wanted(doc)) continue;
      const agent = (doc as ProxyEvent).user_agent?.original;
      userAgents.add(typeof agent === 'string' ? agent : undefined);
    }
    context.userAgents = userAgents;
  }
  return context;
}

function attackIndex(names: string[], name: string): number {
  const at = names.indexOf(name);
  return at >= 0 ? at : names.push(name) - 1;
}

export async function collectRows(request: ReadRequest): Promise<CollectedRows> {
  const rows: CollectedRows = {
    count: 0,
    label: [],
    attack: [],
    attackNames: [],
    sourceDocument: [],
    sourceWord: [],
    destinationDocument: [],
    destinationWord: [],
    heuristicInput: [],
    wordReasons: new ReasonCounter(),
    featureRow: [],
    features: new FeatureMatrix(),
    featureReasons: new ReasonCounter(),
    decodeRejected: new ReasonCounter(),
    outsideDays: 0,
    labelCounts: { benign: 0, attack: 0, ignored: 0, unlabelled: 0 },
  };
  if (request.features && request.dataType !== 'flow') throw new Error(`the autoencoder scores flows, not ${request.dataType} events`);
  const context = await wordContextFor(request);
  const table = request.words;
  const wanted = dayFilter(request.days);
  for await (const doc of decodeAll(request, rows.decodeRejected, true)) {
    if (!wanted(doc)) {
      rows.outsideDays += 1;
      continue;
    }
    const labelClass = request.labels.classify(doc);
    rows.labelCounts[labelClass] += 1;
    rows.label.push(LABEL_CODES[labelClass]);
    const attack = labelClass === 'attack' ? request.labels.attackOf?.(doc) : undefined;
    rows.attack.push(attack === undefined ? -1 : attackIndex(rows.attackNames, attack));

    let sourceDocument = -1;
    let sourceWord = -1;
    let destinationDocument = -1;
    let destinationWord = -1;
    let heuristicInput: FlowHeuristicInput | DnsHeuristicInput | undefined;
    if (table && context) {
      const words = hasPlaceholderIp(doc) ? NO_IP_WORDS : wordsOfEvent(request.dataType, doc, context);
      if (words.ok) {
        const [source, destination] = words.words;
        sourceDocument = table.documentId(source.document);
        sourceWord = table.wordId(source.word);
        if (destination) {
          destinationDocument = table.documentId(destination.document);
          destinationWord = table.wordId(destination.word);
        }
        if (request.heuristics && request.dataType === 'flow') heuristicInput = flowHeuristicInput(words.record as FlowRecord);
        if (request.heuristics && request.dataType === 'dns') heuristicInput = dnsHeuristicInput(words.record as DnsRecord);
        if (request.heuristics && request.dataType === 'proxy') heuristicInput = proxyHeuristicInput(words.record as ProxyRecord);
      } else rows.wordReasons.add(words.reason);
    }
    rows.sourceDocument.push(sourceDocument);
    rows.sourceWord.push(sourceWord);
    rows.destinationDocument.push(destinationDocument);
    rows.destinationWord.push(destinationWord);
    rows.heuristicInput.push(heuristicInput);

    let featureRow = -1;
    if (request.features) {
      const features = flowFeaturesOf(doc as FlowEvent);
      if (features.ok) {
        featureRow = rows.features.rows;
        rows.features.push(features.row);
      } else rows.featureReasons.add(features.reason);
    }
    rows.featureRow.push(featureRow);
    rows.count += 1;
  }
  return rows;
}
