/**
 * Pure helpers over OpenSearch mapping JSON: compose an index template's mapping from its components, list
 * its leaf fields with their types, and compare it with the mapping of an index that already exists.
 */

export type Properties = Record<string, MappingNode>;

export interface MappingNode {
  type?: string;
  properties?: Properties;
  enabled?: boolean;
  fields?: Properties;
  [setting: string]: unknown;
}

export interface RootMapping {
  dynamic?: string | boolean;
  properties: Properties;
}

function isObjectNode(node: MappingNode): boolean {
  return node.properties !== undefined || node.type === undefined || node.type === 'object' || node.type === 'nested';
}

/** Merges `b` into `a` the way OpenSearch merges component mappings: later definitions win, objects merge. */
export function mergeProperties(a: Properties, b: Properties): Properties {
  const out: Properties = { ...a };
  for (const [name, node] of Object.entries(b)) {
    const previous = out[name];
    if (previous?.properties && node.properties) {
      out[name] = { ...previous, ...node, properties: mergeProperties(previous.properties, node.properties) };
    } else {
      out[name] = node;
    }
  }
  return out;
}

/** The mapping an index created from this template gets: components in `composed_of` order, then the template's own. */
export function composeMapping(parts: readonly (RootMapping | { properties?: Properties; dynamic?: string | boolean } | undefined)[]): RootMapping {
  let properties: Properties = {};
  let dynamic: string | boolean | undefined;
  for (const part of parts) {
    if (!part) continue;
    if (part.properties) properties = mergeProperties(properties, part.properties);
    if (part.dynamic !== undefined) dynamic = part.dynamic;
  }
  return dynamic === undefined ? { properties } : { dynamic, properties };
}

/**
 * Every field path with its type. Objects are listed as `object` (or `object (disabled)` when their content
 * is kept in `_source` only) and their children follow; multi-fields appear as `<path>.<name>`.
 */
export function fieldTypes(properties: Properties, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, node] of Object.entries(properties)) {
    const path = prefix + name;
    if (node.enabled === false) {
      out.set(path, 'object (disabled)');
    } else if (isObjectNode(node)) {
      out.set(path, node.type === 'nested' ? 'nested' : 'object');
      for (const [child, type] of fieldTypes(node.properties ?? {}, `${path}.`)) out.set(child, type);
    } else {
      out.set(path, node.type ?? 'object');
      for (const [sub, subNode] of Object.entries(node.fields ?? {})) out.set(`${path}.${sub}`, subNode.type ?? 'object');
    }
  }
  return out;
}

/** Leaf fields only (what a document value lands in). */
export function leafFieldTypes(properties: Properties): Map<string, string> {
  const all = fieldTypes(properties);
  return new Map([...all].filter(([, type]) => type !== 'object' && type !== 'nested'));
}

export interface FieldConflict {
  field: string;
  existing: string;
  template: string;
}

/** Fields both mappings have with different types; such an index cannot take the template's documents. */
export function mappingConflicts(template: Properties, existing: Properties): FieldConflict[] {
  const want = fieldTypes(template);
  const have = fieldTypes(existing);
  const conflicts: FieldConflict[] = [];
  for (const [field, type] of want) {
    const current = have.get(field);
    if (current !== undefined && current !== type) conflicts.push({ field, existing: current, template: type });
  }
  return conflicts;
}

/**
 * The part of `template` that `existing` lacks, as a properties object ready for a put-mapping call, or
 * undefined when nothing is missing. Fields present in both are left out even when they differ: that is a
 * conflict, reported by `mappingConflicts`, never changed.
 */
export function missingProperties(template: Properties, existing: Properties): Properties | undefined {
  const missing: Properties = {};
  for (const [name, node] of Object.entries(template)) {
    const current = existing[name];
    if (current === undefined) {
      missing[name] = node;
    } else if (node.properties && current.properties) {
      const inner = missingProperties(node.properties, current.properties);
      if (inner) missing[name] = { properties: inner };
    }
  }
  return Object.keys(missing).length > 0 ? missing : undefined;
}

/** Lists field paths of a properties object (for messages). */
export function leafPaths(properties: Properties): string[] {
  return [...leafFieldTypes(properties).keys()];
}
