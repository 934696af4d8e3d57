/**
 * Ground truth for the demo: which ingested records the generator (or a labelled capture) marked as attacks,
 * and precision@k of a ranked list against it. Records are matched by file (path suffix) and line, the
 * identity both the generator's labels file and every document's provenance carry.
 */

export interface AttackLabel {
  file: string;
  line: number;
  attack: string;
}

export class LabelIndex {
  private readonly byKey = new Map<string, string>();
  private readonly attackTotals = new Map<string, number>();

  constructor(labels: Iterable<AttackLabel>) {
    for (const label of labels) {
      this.byKey.set(LabelIndex.key(label.file, label.line), label.attack);
      this.attackTotals.set(label.attack, (this.attackTotals.get(label.attack) ?? 0) + 1);
    }
  }

  /** The path relative to the demo folder: the labels name `flow/x.csv`, provenance the path given to ingest. */
  private static key(file: string, line: number): string {
    const parts = file.split(/[\\/]/);
    return `${parts.slice(-2).join('/')}:${line}`;
  }

  get size(): number {
    return this.byKey.size;
  }

  attacks(): string[] {
    return [...this.attackTotals.keys()].sort();
  }

  attackOf(file: string, line: number): string | undefined {
    return this.byKey.get(LabelIndex.key(file, line));
  }
}

/** Parses the generator's labels.jsonl; a malformed line is an error naming its line, never skipped. */
export function parseLabelsJsonl(text: string, fileName: string): AttackLabel[] {
  const labels: AttackLabel[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw new Error(`${fileName} line ${i + 1}: not JSON`);
    }
    const { file, line: record, attack } = parsed as { file?: unknown; line?: unknown; attack?: unknown };
    if (typeof file !== 'string' || typeof record !== 'number' || typeof attack !== 'string') {
      throw new Error(`${fileName} line ${i + 1}: needs "file" (string), "line" (number) and "attack" (string)`);
    }
    labels.push({ file, line: record, attack });
  }
  return labels;
}

export interface RankedRecord {
  file: string;
  record: number;
}

export interface PrecisionReport {
  k: number;
  /** Records in the top k (fewer than k when the list is shorter). */
  ranked: number;
  attacks: number;
  precision: number;
  /** Attack names found in the top k, with how many of their records. */
  byAttack: Record<string, number>;
}

/** Precision@k of a ranked list (best first) against the labels. */
export function precisionAtK(ranked: readonly RankedRecord[], labels: LabelIndex, k: number): PrecisionReport {
  const top = ranked.slice(0, k);
  const byAttack: Record<string, number> = {};
  let attacks = 0;
  for (const item of top) {
    const attack = labels.attackOf(item.file, item.record);
    if (attack === undefined) continue;
    attacks++;
    byAttack[attack] = (byAttack[attack] ?? 0) + 1;
  }
  return { k, ranked: top.length, attacks, precision: top.length === 0 ? 0 : attacks / top.length, byAttack };
}
