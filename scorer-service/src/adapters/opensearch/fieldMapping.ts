import fs from 'node:fs';
import { z } from 'zod';
import type { DataType } from '../../domain/events';
import { indexNames } from './client';

/**
 * Where the scorer finds each field it reads. Spothreat's own raw indices use ECS names, so the default maps
 * every logical field to itself; users who already ship telemetry with Filebeat, Logstash or Data Prepper
 * point the scorer at their index pattern and rename only the fields their pipeline names differently.
 * docs/field-mapping.md describes the file.
 */

/** The fields the scorer reads, by data type, named as in Spothreat's own documents (ECS). */
export const LOGICAL_FIELDS = {
  flow: [
    '@timestamp',
    'event.duration',
    'source.ip',
    'source.port',
    'source.bytes',
    'source.packets',
    'destination.ip',
    'destination.port',
    'destination.bytes',
    'destination.packets',
    'network.transport',
    'network.iana_number',
    'network.bytes',
    'network.packets',
    'netflow.tcp_control_bits',
    'netflow.exporter.address',
    'spothreat.label',
  ],
  dns: [
    '@timestamp',
    'source.ip',
    'destination.ip',
    'network.bytes',
    'dns.question.name',
    'dns.question.type',
    'dns.question.class',
    'dns.response_code',
    'dns.resolved_ip',
    'dns_codes.qtype',
    'dns_codes.qclass',
    'dns_codes.rcode',
    'spothreat.label',
  ],
  proxy: [
    '@timestamp',
    'event.duration',
    'source.ip',
    'source.bytes',
    'destination.ip',
    'destination.bytes',
    'destination.domain',
    'url.original',
    'url.domain',
    'url.path',
    'url.query',
    'url.port',
    'http.request.method',
    'http.request.referrer',
    'http.response.status_code',
    'http.response.mime_type',
    'user_agent.original',
    'user.name',
    'proxy.categories',
    'spothreat.label',
  ],
} as const satisfies Record<DataType, readonly string[]>;

export type LogicalField<T extends DataType = DataType> = (typeof LOGICAL_FIELDS)[T][number];

/** How one data type is read from OpenSearch. */
export interface SourceMapping<T extends DataType = DataType> {
  dataType: T;
  /** Index name or pattern (comma-separated patterns allowed, as in any OpenSearch search). */
  index: string;
  /** Extra query clause every read adds, e.g. `{ "term": { "event.dataset": "netflow.log" } }`. */
  filter?: Record<string, unknown>;
  /** Logical field -> field name in the user's documents; `null` when their documents do not have it. */
  fields: Readonly<Record<LogicalField<T>, string | null>>;
  /** True when a mapping file set anything for this data type. */
  custom: boolean;
}

export type FieldMapping = { readonly [T in DataType]: SourceMapping<T> };

export class FieldMappingError extends Error {
  constructor(
    readonly origin: string,
    readonly problems: string[],
  ) {
    super(`invalid field mapping in ${origin}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'FieldMappingError';
  }
}

/** Spothreat's own indices: ECS names, the daily raw indices of each data type. */
export function defaultFieldMapping(indexPrefix: string): FieldMapping {
  const forType = <T extends DataType>(dataType: T): SourceMapping<T> => ({
    dataType,
    index: indexNames.rawPattern(indexPrefix, dataType),
    fields: Object.fromEntries(LOGICAL_FIELDS[dataType].map((f) => [f, f])) as Record<LogicalField<T>, string>,
    custom: false,
  });
  return { flow: forType('flow'), dns: forType('dns'), proxy: forType('proxy') };
}

const sourceSchema = z
  .object({
    index: z.string().min(1, 'must name an index or pattern').optional(),
    filter: z.record(z.string(), z.unknown()).optional(),
    fields: z.record(z.string(), z.union([z.string().min(1, 'must be a field name or null'), z.null()])).optional(),
  })
  .strict();

const fileSchema = z.object({ flow: sourceSchema.optional(), dns: sourceSchema.optional(), proxy: sourceSchema.optional() }).strict();

/**
 * Validates a parsed mapping file and lays it over the defaults. Every problem is collected, so one run
 * of the command shows all that is wrong with the file. `origin` names the file in messages.
 */
export function parseFieldMapping(json: unknown, indexPrefix: string, origin: string): FieldMapping {
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    throw new FieldMappingError(
      origin,
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(top level)'}: ${issue.message}`),
    );
  }
  const defaults = defaultFieldMapping(indexPrefix);
  const problems: string[] = [];
  const merge = <T extends DataType>(dataType: T): SourceMapping<T> => {
    const given = parsed.data[dataType];
    const base = defaults[dataType] as SourceMapping<T>;
    if (!given) return base;
    const known = new Set<string>(LOGICAL_FIELDS[dataType]);
    for (const name of Object.keys(given.fields ?? {})) {
      if (!known.has(name)) problems.push(`${dataType}.fields.${name}: not a field Spothreat reads for ${dataType}; known: ${[...known].join(', ')}`);
    }
    if (given.fields?.['@timestamp'] === null) {
      problems.push(`${dataType}.fields.@timestamp: every event needs a time field; it cannot be null`);
    }
    return {
      dataType,
      index: given.index ?? base.index,
      filter: given.filter,
      fields: { ...base.fields, ...(given.fields ?? {}) } as Record<LogicalField<T>, string | null>,
      custom: true,
    };
  };
  const result: FieldMapping = { flow: merge('flow'), dns: merge('dns'), proxy: merge('proxy') };
  if (problems.length > 0) throw new FieldMappingError(origin, problems);
  return result;
}

/** Reads a mapping file; without a file, Spothreat's own indices and names. */
export function loadFieldMapping(file: string | undefined, indexPrefix: string): FieldMapping {
  if (file === undefined) return defaultFieldMapping(indexPrefix);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new FieldMappingError(file, [`cannot read the file: ${(error as Error).message}`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new FieldMappingError(file, [`not valid JSON: ${(error as Error).message}`]);
  }
  return parseFieldMapping(json, indexPrefix, file);
}

/** The user-side field names to request in `_source` (mapped fields only). */
export function sourceFields<T extends DataType>(mapping: SourceMapping<T>): string[] {
  return [...new Set(Object.values<string | null>(mapping.fields).filter((f): f is string => f !== null))];
}

/**
 * The value of a logical field in a hit's `_source`. Handles both nested objects (`{source: {ip}}`) and
 * the dotted keys some shippers write (`{"source.ip": ...}`); arrays of objects yield an array of values.
 * Undefined when the field is unmapped or absent.
 */
export function readField<T extends DataType>(source: unknown, mapping: SourceMapping<T>, logical: LogicalField<T>): unknown {
  const name = mapping.fields[logical];
  if (name === null || name === undefined) return undefined;
  return readPath(source, name.split('.'));
}

export function readPath(value: unknown, segments: readonly string[]): unknown {
  if (segments.length === 0) return value;
  if (Array.isArray(value)) {
    const values = value.map((item) => readPath(item, segments)).filter((v) => v !== undefined);
    return values.length === 0 ? undefined : values.flat();
  }
  if (value === null || typeof value !== 'object') return undefined;
  const record = value as Record<string, unknown>;
  // Longest key first, so a literal "source.ip" key wins over a walk when both exist.
  for (let take = segments.length; take >= 1; take -= 1) {
    const key = segments.slice(0, take).join('.');
    if (key in record) {
      const found = readPath(record[key], segments.slice(take));
      if (found !== undefined) return found;
    }
  }
  return undefined;
}
