import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../config';
import { composeMapping, type RootMapping } from './mappings';

/**
 * The files of opensearch-templates/ read into install-ready request bodies. opensearch-templates/README.md
 * describes the conventions checked here.
 */

export const TEMPLATES_DIR = path.join(repoRoot, 'opensearch-templates');
export const PREFIX_PLACEHOLDER = '{{prefix}}';

export type TemplateKind = 'component' | 'index' | 'ism';
const FOLDERS: Record<TemplateKind, string> = { component: 'component', index: 'index', ism: 'ism' };

export interface TemplateFile {
  kind: TemplateKind;
  /** The file name without `.json`, as other files refer to it (`composed_of`). */
  baseName: string;
  /** Name it is installed under: `<indexPrefix><baseName>`. */
  name: string;
  file: string;
  /** Request body with the prefix substituted and `_meta.content_sha1` (ISM: the description) stamped. */
  body: Record<string, unknown>;
  contentSha1: string;
  /** `version` of component and index templates. */
  version?: number;
}

export interface TemplateSet {
  components: TemplateFile[];
  indexTemplates: TemplateFile[];
  ismPolicies: TemplateFile[];
}

export class TemplateFileError extends Error {
  constructor(readonly problems: string[]) {
    super(`the template files have problems; nothing was installed:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'TemplateFileError';
  }
}

const FILE_NAME = /^[a-z0-9][a-z0-9_.-]*\.json$/;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function substitutePrefix(value: Json, prefix: string): Json {
  if (typeof value === 'string') return value.split(PREFIX_PLACEHOLDER).join(prefix);
  if (Array.isArray(value)) return value.map((v) => substitutePrefix(v, prefix));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitutePrefix(v, prefix)]));
  }
  return value;
}

/** JSON with keys sorted at every level, so the hash does not depend on key order in the file. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function readFolder(dir: string, kind: TemplateKind, prefix: string, problems: string[]): TemplateFile[] {
  const folder = path.join(dir, FOLDERS[kind]);
  if (!fs.existsSync(folder)) return [];
  const out: TemplateFile[] = [];
  for (const entry of fs.readdirSync(folder).sort()) {
    if (!entry.endsWith('.json')) continue;
    const file = path.join(folder, entry);
    const where = path.relative(dir, file);
    if (!FILE_NAME.test(entry)) {
      problems.push(`${where}: a template file name must be lower-case letters, digits, '.', '_' or '-'`);
      continue;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (error) {
      problems.push(`${where}: not valid JSON (${(error as Error).message})`);
      continue;
    }
    if (!isRecord(parsed)) {
      problems.push(`${where}: must hold a JSON object`);
      continue;
    }
    const body = substitutePrefix(parsed as Json, prefix) as Record<string, unknown>;
    const baseName = entry.slice(0, -'.json'.length);
    const template: TemplateFile = { kind, baseName, name: prefix + baseName, file, body, contentSha1: '' };
    if (kind === 'ism') {
      const policy = body.policy;
      if (!isRecord(policy) || typeof policy.description !== 'string') {
        problems.push(`${where}: an ISM policy file must be { "policy": { "description": ..., "states": [...] } }`);
        continue;
      }
    } else {
      if (!Number.isInteger(body.version) || (body.version as number) < 1) problems.push(`${where}: needs an integer "version" of 1 or more`);
      const meta = body._meta;
      if (!isRecord(meta) || typeof meta.description !== 'string' || meta.description.trim() === '') {
        problems.push(`${where}: needs "_meta": { "description": "..." } saying what the template is for`);
      }
      template.version = body.version as number;
    }
    out.push(template);
  }
  return out;
}

function checkIndexTemplate(t: TemplateFile, componentNames: Set<string>, prefix: string, problems: string[], dir: string): void {
  const where = path.relative(dir, t.file);
  const patterns = t.body.index_patterns;
  if (!Array.isArray(patterns) || patterns.length === 0 || !patterns.every((p) => typeof p === 'string')) {
    problems.push(`${where}: needs "index_patterns", a non-empty list of strings`);
  } else {
    for (const p of patterns as string[]) {
      if (!p.startsWith(prefix)) problems.push(`${where}: index pattern '${p}' must start with {{prefix}} so that each prefix has its own indices`);
    }
  }
  const composedOf = t.body.composed_of ?? [];
  if (!Array.isArray(composedOf)) {
    problems.push(`${where}: "composed_of" must be a list of component file names`);
    return;
  }
  t.body.composed_of = composedOf.map((c) => {
    if (typeof c !== 'string' || !componentNames.has(c)) {
      problems.push(`${where}: composed_of names '${String(c)}', which is not a file in component/`);
      return c;
    }
    return prefix + c;
  });
}

function stamp(t: TemplateFile): void {
  t.contentSha1 = createHash('sha1').update(canonicalJson(t.body)).digest('hex');
  if (t.kind === 'ism') {
    const policy = t.body.policy as Record<string, unknown>;
    policy.description = `${policy.description as string} [content_sha1 ${t.contentSha1}]`;
  } else {
    t.body._meta = { ...(t.body._meta as Record<string, unknown>), content_sha1: t.contentSha1 };
  }
}

/** Reads and checks every template file; throws one error listing every problem found. */
export function loadTemplateFiles(indexPrefix: string, dir: string = TEMPLATES_DIR): TemplateSet {
  const problems: string[] = [];
  const components = readFolder(dir, 'component', indexPrefix, problems);
  const indexTemplates = readFolder(dir, 'index', indexPrefix, problems);
  const ismPolicies = readFolder(dir, 'ism', indexPrefix, problems);
  const componentNames = new Set(components.map((c) => c.baseName));
  for (const t of indexTemplates) checkIndexTemplate(t, componentNames, indexPrefix, problems, dir);
  if (problems.length > 0) throw new TemplateFileError(problems);
  for (const t of [...components, ...indexTemplates, ...ismPolicies]) stamp(t);
  return { components, indexTemplates, ismPolicies };
}

function templateMappings(body: Record<string, unknown>): RootMapping | undefined {
  const template = body.template as { mappings?: RootMapping } | undefined;
  return template?.mappings;
}

/** The mapping an index created from `indexTemplate` gets, computed from the files alone. */
export function composedMapping(indexTemplate: TemplateFile, set: TemplateSet): RootMapping {
  const byName = new Map(set.components.map((c) => [c.name, c]));
  const parts = ((indexTemplate.body.composed_of as string[] | undefined) ?? []).map((name) => {
    const component = byName.get(name);
    return component ? templateMappings(component.body) : undefined;
  });
  return composeMapping([...parts, templateMappings(indexTemplate.body)]);
}

export function indexPatterns(indexTemplate: TemplateFile): string[] {
  return indexTemplate.body.index_patterns as string[];
}
