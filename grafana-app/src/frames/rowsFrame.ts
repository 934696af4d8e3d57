import { createDataFrame, type DataFrame, type DataFrameDTO, FieldType } from '@grafana/data';

type Row = Record<string, unknown>;

/**
 * Flat API rows as one frame, a field per key. Nested objects become dotted field names (`srcGeo.country`, the
 * export's CSV header naming); arrays stay whole in `other` fields.
 */
export function rowsToFrame(rows: readonly object[], name: string, meta?: DataFrameDTO['meta']): DataFrame {
  const flat = rows.map((row) => flatten(row as Row));
  const keys: string[] = [];
  const seen = new Set<string>();
  for (const row of flat) {
    for (const key of Object.keys(row)) {
      if (!seen.has(key)) {
        seen.add(key);
        keys.push(key);
      }
    }
  }
  return createDataFrame({
    name,
    refId: name,
    meta,
    fields: keys.map((key) => {
      const values = flat.map((row) => row[key]);
      return { name: key, type: typeOf(key, values), values };
    }),
  });
}

/** The frame's rows as objects again, dotted field names folded back into nested objects. */
export function frameToRows(frame: DataFrame): Row[] {
  const rows: Row[] = [];
  for (let i = 0; i < frame.length; i++) {
    const row: Row = {};
    for (const field of frame.fields) {
      const value = field.values[i];
      if (value !== undefined && value !== null) {
        assignPath(row, field.name.split('.'), field.type === FieldType.time && typeof value === 'number' ? new Date(value).toISOString() : value);
      }
    }
    rows.push(row);
  }
  return rows;
}

function flatten(row: Row, prefix = '', into: Row = {}): Row {
  for (const [key, value] of Object.entries(row)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      flatten(value as Row, path, into);
    } else {
      into[path] = value;
    }
  }
  return into;
}

function assignPath(target: Row, path: string[], value: unknown) {
  let node = target;
  for (const part of path.slice(0, -1)) {
    node = (node[part] ??= {}) as Row;
  }
  node[path[path.length - 1]] = value;
}

const TIME_KEYS = new Set(['timestamp', 'time', 'minute']);

function typeOf(key: string, values: unknown[]): FieldType {
  if (TIME_KEYS.has(key)) {
    return FieldType.time;
  }
  const sample = values.find((v) => v !== undefined && v !== null);
  switch (typeof sample) {
    case 'number':
      return FieldType.number;
    case 'boolean':
      return FieldType.boolean;
    case 'string':
      return FieldType.string;
    default:
      return FieldType.other;
  }
}
