import type { Client } from '@opensearch-project/opensearch';
import { mappingConflicts, missingProperties, leafPaths, type FieldConflict, type Properties } from './mappings';
import { composedMapping, indexPatterns, loadTemplateFiles, TEMPLATES_DIR, type TemplateFile, type TemplateKind, type TemplateSet } from './templateFiles';

/**
 * Installs opensearch-templates/ into a cluster, idempotently. Before changing anything it checks every
 * existing index the index templates cover: a field whose type differs stops the whole apply (nothing is
 * installed, nothing overwritten); a field an index lacks is added to it, which changes nothing already there.
 */

export type TemplateAction = 'created' | 'updated' | 'unchanged' | 'kept-newer' | 'skipped' | 'not-applied';

export interface TemplateOutcome {
  kind: TemplateKind;
  name: string;
  file: string;
  action: TemplateAction;
  detail?: string;
}

/** A field an existing index maps differently from the template that covers it (`template` is the type). */
export interface IndexConflict extends FieldConflict {
  index: string;
  templateName: string;
}

export interface IndexExtension {
  index: string;
  templateName: string;
  fields: string[];
}

export interface ApplyResult {
  ok: boolean;
  prefix: string;
  templates: TemplateOutcome[];
  conflicts: IndexConflict[];
  extended: IndexExtension[];
}

interface Installed {
  version?: number;
  contentSha1?: string;
}

const ISM_PLUGIN = 'opensearch-index-management';

async function installedComponent(client: Client, name: string): Promise<Installed | undefined> {
  const res = await client.cluster.getComponentTemplate({ name }, { ignore: [404] });
  if (res.statusCode === 404) return undefined;
  const found = (res.body as { component_templates?: { component_template: { version?: number; _meta?: { content_sha1?: string } } }[] })
    .component_templates?.[0]?.component_template;
  return found ? { version: found.version, contentSha1: found._meta?.content_sha1 } : undefined;
}

async function installedIndexTemplate(client: Client, name: string): Promise<Installed | undefined> {
  const res = await client.indices.getIndexTemplate({ name }, { ignore: [404] });
  if (res.statusCode === 404) return undefined;
  const found = (res.body as { index_templates?: { index_template: { version?: number; _meta?: { content_sha1?: string } } }[] }).index_templates?.[0]
    ?.index_template;
  return found ? { version: found.version, contentSha1: found._meta?.content_sha1 } : undefined;
}

function decide(file: TemplateFile, installed: Installed | undefined): { put: boolean; action: TemplateAction; detail?: string } {
  if (!installed) return { put: true, action: 'created' };
  if (installed.contentSha1 === file.contentSha1) return { put: false, action: 'unchanged' };
  if (installed.version !== undefined && file.version !== undefined && installed.version > file.version) {
    return { put: false, action: 'kept-newer', detail: `installed version ${installed.version} is newer than the file's ${file.version}` };
  }
  const detail = installed.version === file.version ? 'content changed without a version bump' : `version ${installed.version ?? 'none'} -> ${file.version}`;
  return { put: true, action: 'updated', detail };
}

function describeFailure(file: TemplateFile, error: unknown): Error {
  const body = (error as { meta?: { body?: { error?: { reason?: string } } } }).meta?.body;
  const reason = body?.error?.reason ?? (error as Error).message;
  return new Error(`OpenSearch refused ${file.kind} template '${file.name}' from ${file.file}: ${reason}`);
}

async function existingMappings(client: Client, patterns: string[]): Promise<Record<string, Properties>> {
  const res = await client.indices.getMapping({ index: patterns.join(','), allow_no_indices: true, ignore_unavailable: true }, { ignore: [404] });
  if (res.statusCode === 404) return {};
  const out: Record<string, Properties> = {};
  for (const [index, value] of Object.entries(res.body as Record<string, { mappings?: { properties?: Properties } }>)) {
    out[index] = value.mappings?.properties ?? {};
  }
  return out;
}

async function checkExistingIndices(client: Client, set: TemplateSet): Promise<{ conflicts: IndexConflict[]; extensions: (IndexExtension & { properties: Properties })[] }> {
  const conflicts: IndexConflict[] = [];
  const extensions: (IndexExtension & { properties: Properties })[] = [];
  for (const t of set.indexTemplates) {
    const want = composedMapping(t, set).properties;
    const indices = await existingMappings(client, indexPatterns(t));
    for (const [index, have] of Object.entries(indices)) {
      for (const c of mappingConflicts(want, have)) conflicts.push({ ...c, index, templateName: t.name });
      const missing = missingProperties(want, have);
      if (missing) extensions.push({ index, templateName: t.name, fields: leafPaths(missing), properties: missing });
    }
  }
  return { conflicts, extensions };
}

async function ismPluginInstalled(client: Client): Promise<boolean> {
  const res = await client.cat.plugins({ format: 'json' });
  return (res.body as { component?: string }[]).some((p) => p.component === ISM_PLUGIN);
}

async function applyIsmPolicy(client: Client, file: TemplateFile): Promise<TemplateOutcome> {
  const base = { kind: file.kind, name: file.name, file: file.file };
  const res = await client.ism.getPolicy({ policy_id: file.name }, { ignore: [404] });
  const current = res.statusCode === 404 ? undefined : (res.body as { _seq_no?: number; _primary_term?: number; policy?: { description?: string } });
  const wanted = (file.body.policy as { description: string }).description;
  if (current?.policy?.description === wanted) return { ...base, action: 'unchanged' };
  try {
    await client.ism.putPolicy({
      policy_id: file.name,
      body: file.body as never,
      ...(current ? { if_seq_no: current._seq_no, if_primary_term: current._primary_term } : {}),
    });
  } catch (error) {
    throw describeFailure(file, error);
  }
  return { ...base, action: current ? 'updated' : 'created' };
}

/** Components first, then index templates: each one is put only when it is missing or differs. */
async function installAll(
  files: readonly TemplateFile[],
  installed: (name: string) => Promise<Installed | undefined>,
  put: (file: TemplateFile) => Promise<unknown>,
): Promise<TemplateOutcome[]> {
  const outcomes: TemplateOutcome[] = [];
  for (const t of files) {
    const decision = decide(t, await installed(t.name));
    if (decision.put) {
      try {
        await put(t);
      } catch (error) {
        throw describeFailure(t, error);
      }
    }
    outcomes.push({ kind: t.kind, name: t.name, file: t.file, action: decision.action, detail: decision.detail });
  }
  return outcomes;
}

/** Installs every template file under `dir` for `indexPrefix`. Throws TemplateFileError for bad files. */
export async function applyTemplates(client: Client, indexPrefix: string, dir: string = TEMPLATES_DIR): Promise<ApplyResult> {
  const set = loadTemplateFiles(indexPrefix, dir);
  const result: ApplyResult = { ok: true, prefix: indexPrefix, templates: [], conflicts: [], extended: [] };
  const { conflicts, extensions } = await checkExistingIndices(client, set);
  if (conflicts.length > 0) {
    result.ok = false;
    result.conflicts = conflicts;
    for (const t of [...set.components, ...set.indexTemplates, ...set.ismPolicies]) {
      result.templates.push({ kind: t.kind, name: t.name, file: t.file, action: 'not-applied', detail: 'existing indices conflict' });
    }
    return result;
  }

  const putComponent = (t: TemplateFile) => client.cluster.putComponentTemplate({ name: t.name, body: t.body as never });
  const putIndexTemplate = (t: TemplateFile) => client.indices.putIndexTemplate({ name: t.name, body: t.body as never });
  result.templates.push(...(await installAll(set.components, (name) => installedComponent(client, name), putComponent)));
  result.templates.push(...(await installAll(set.indexTemplates, (name) => installedIndexTemplate(client, name), putIndexTemplate)));
  for (const ext of extensions) {
    await client.indices.putMapping({ index: ext.index, body: { properties: ext.properties } as never });
    result.extended.push({ index: ext.index, templateName: ext.templateName, fields: ext.fields });
  }

  const ismAvailable = set.ismPolicies.length > 0 && (await ismPluginInstalled(client));
  for (const t of set.ismPolicies) {
    if (!ismAvailable) {
      result.templates.push({
        kind: t.kind,
        name: t.name,
        file: t.file,
        action: 'skipped',
        detail: `the cluster has no Index State Management plugin (${ISM_PLUGIN}); retention is not enforced`,
      });
      continue;
    }
    result.templates.push(await applyIsmPolicy(client, t));
  }
  return result;
}

/** One line per conflict, for the CLI and for ingest's refusal message. */
export function describeConflicts(conflicts: readonly IndexConflict[]): string[] {
  return conflicts.map(
    (c) => `index '${c.index}' maps '${c.field}' as ${c.existing}, template '${c.templateName}' as ${c.template}`,
  );
}

/** A refusal over conflicts: `lead`, a colon, then one indented line per conflict. */
export function conflictRefusal(lead: string, conflicts: readonly IndexConflict[]): string {
  return `${lead}:\n${describeConflicts(conflicts)
    .map((line) => `  - ${line}`)
    .join('\n')}`;
}

/**
 * Deletes the templates installed for `indexPrefix`, by the names the files give (never by wildcard, which
 * could reach another prefix). For test runs that used a prefix of their own.
 */
export async function removeTemplates(client: Client, indexPrefix: string, dir: string = TEMPLATES_DIR): Promise<void> {
  const set = loadTemplateFiles(indexPrefix, dir);
  for (const t of set.indexTemplates) await client.indices.deleteIndexTemplate({ name: t.name }, { ignore: [404] });
  for (const t of set.components) await client.cluster.deleteComponentTemplate({ name: t.name }, { ignore: [404] });
  if (set.ismPolicies.length > 0 && (await ismPluginInstalled(client))) {
    for (const t of set.ismPolicies) await client.ism.deletePolicy({ policy_id: t.name }, { ignore: [404] });
  }
}
