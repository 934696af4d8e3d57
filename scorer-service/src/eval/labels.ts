/**
 * Ground truth for an evaluation: which field of a decoded document holds the label, which values mean benign,
 * and which mean "leave this row out of the metrics" (Stratosphere's Background and Unknown flows are neither
 * known-good nor known-bad). Every other label value counts as an attack. Values are compared trimmed and
 * case-insensitively, since editions of one dataset spell them differently (CIC: `Benign` and `BENIGN`).
 */

import { LabelIndex } from '../demo/labelMatch';

export type LabelClass = 'benign' | 'attack' | 'ignored' | 'unlabelled';

/** What an evaluation needs of its ground truth: the class of a decoded document, and the attack's name when known. */
export interface RowLabels {
  classify(doc: unknown): LabelClass;
  /** The attack a document belongs to (for per-attack reports); undefined when benign or unnamed. */
  attackOf?(doc: unknown): string | undefined;
}

/** Short names for the provenance fields every decoder fills. */
const SHORTHANDS: Record<string, string> = {
  label: 'spothreat.label',
  label_detail: 'spothreat.label_detail',
  detailedlabel: 'spothreat.label_detail',
};

function normalise(value: string): string {
  return value.trim().toLowerCase();
}

export class LabelPolicy implements RowLabels {
  readonly path: string[];
  private readonly benign: Set<string>;
  private readonly ignored: Set<string>;

  constructor(field: string, benign: readonly string[], ignored: readonly string[] = []) {
    const resolved = SHORTHANDS[field] ?? field;
    if (resolved.trim() === '' || resolved.split('.').some((part) => part === '')) throw new Error(`label field "${field}" is not a dotted field path`);
    if (benign.length === 0) throw new Error('at least one benign label value is needed (--benign)');
    this.path = resolved.split('.');
    this.benign = new Set(benign.map(normalise));
    this.ignored = new Set(ignored.map(normalise));
    for (const value of this.benign) {
      if (this.ignored.has(value)) throw new Error(`label "${value}" is given as both benign and ignored`);
    }
  }

  /** The label value of a document, or undefined when it has none. */
  valueOf(doc: unknown): string | undefined {
    let node: unknown = doc;
    for (const part of this.path) {
      if (node === null || typeof node !== 'object') return undefined;
      node = (node as Record<string, unknown>)[part];
    }
    if (typeof node === 'number' || typeof node === 'boolean') return String(node);
    return typeof node === 'string' && node.trim() !== '' ? node : undefined;
  }

  classify(doc: unknown): LabelClass {
    const value = this.valueOf(doc);
    if (value === undefined) return 'unlabelled';
    const key = normalise(value);
    if (this.benign.has(key)) return 'benign';
    if (this.ignored.has(key)) return 'ignored';
    return 'attack';
  }
}

/**
 * Ground truth from a labels file that lists the attack records by file and line (the demo generator's
 * labels.jsonl): a decoded document is matched through the provenance every decoder stores (`spothreat.file`,
 * `spothreat.record`); a record the file does not list is benign, as the generator wrote it. nfdump CSV and Squid
 * lines carry no label column, so for them this file is the only ground truth.
 */
export class LabelsFileLabels implements RowLabels {
  constructor(private readonly index: LabelIndex) {
    if (index.size === 0) throw new Error('the labels file lists no attack record');
  }

  attackOf(doc: unknown): string | undefined {
    const provenance = (doc as { spothreat?: { file?: unknown; record?: unknown } } | null)?.spothreat;
    if (typeof provenance?.file !== 'string' || typeof provenance.record !== 'number') return undefined;
    return this.index.attackOf(provenance.file, provenance.record);
  }

  classify(doc: unknown): LabelClass {
    const provenance = (doc as { spothreat?: { file?: unknown; record?: unknown } } | null)?.spothreat;
    if (typeof provenance?.file !== 'string' || typeof provenance.record !== 'number') return 'unlabelled';
    return this.index.attackOf(provenance.file, provenance.record) === undefined ? 'benign' : 'attack';
  }
}
