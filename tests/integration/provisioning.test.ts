/**
 * The files in provisioning/ as a Grafana engineer drops them in: dashboards type-check against @grafana/schema,
 * alerting files follow Grafana's file-provisioning shape, every query names a field the OpenSearch templates
 * map, and the app's plugin.json agrees with them. No services needed.
 */
import fs from 'node:fs';
import path from 'node:path';

import ts from 'typescript';
import { z } from 'zod';

const ROOT = path.resolve(__dirname, '..', '..');
const PROVISIONING = path.join(ROOT, 'provisioning');
const TEMPLATES = path.join(ROOT, 'opensearch-templates');
const INDEX_PREFIX = 'spothreat-';
// The yaml package the app workspace pins (the root may hold an older copy for other tools).
const YAML: { parse(text: string): any } = require(require.resolve('yaml', { paths: [path.join(ROOT, 'grafana-app')] }));

const readJson = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8'));
const readYaml = (file: string) => YAML.parse(fs.readFileSync(file, 'utf8'));
const filesIn = (dir: string, ext: string) =>
  fs
    .readdirSync(path.join(PROVISIONING, dir))
    .filter((name) => name.endsWith(ext))
    .map((name) => path.join(PROVISIONING, dir, name));

const dashboards = filesIn('dashboards', '.json').map((file) => ({ file, json: readJson(file) }));
const datasources: Array<{ uid: string; type: string; jsonData: { database: string; timeField: string } }> = filesIn('datasources', '.yaml').flatMap(
  (file) => readYaml(file).datasources
);
const alerting = Object.fromEntries(filesIn('alerting', '.json').map((file) => [path.basename(file, '.json'), readJson(file)]));
const pluginJson = readJson(path.join(ROOT, 'grafana-app', 'src', 'plugin.json'));

// ---------------------------------------------------------------------------------------------------------------
// Field names the OpenSearch templates map, per index pattern
// ---------------------------------------------------------------------------------------------------------------

function mappedFields(properties: Record<string, any> | undefined, prefix = '', into = new Set<string>()): Set<string> {
  for (const [name, mapping] of Object.entries(properties ?? {})) {
    const full = `${prefix}${name}`;
    into.add(full);
    if (mapping.properties) {
      mappedFields(mapping.properties, `${full}.`, into);
    }
  }
  return into;
}

const components = Object.fromEntries(
  fs.readdirSync(path.join(TEMPLATES, 'component')).map((name) => [path.basename(name, '.json'), readJson(path.join(TEMPLATES, 'component', name))])
);
const indexTemplates = fs.readdirSync(path.join(TEMPLATES, 'index')).map((name) => {
  const template = readJson(path.join(TEMPLATES, 'index', name));
  const fields = mappedFields(template.template?.mappings?.properties);
  for (const component of template.composed_of ?? []) {
    mappedFields(components[component]?.template?.mappings?.properties, '', fields);
  }
  const patterns: string[] = template.index_patterns.map((p: string) => p.replace('{{prefix}}', INDEX_PREFIX));
  return { name, patterns, fields };
});

/** Fields of every template whose index patterns cover the data source's index pattern. */
function fieldsFor(database: string): Set<string> {
  const toRegExp = (glob: string) => new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
  // A template counts when its pattern and the data source's overlap, whichever of the two is wider.
  const overlaps = (a: string, b: string) => toRegExp(a).test(b.replace(/\*/g, 'x')) || toRegExp(b).test(a.replace(/\*/g, 'x'));
  const matching = indexTemplates.filter((t) => t.patterns.some((pattern) => overlaps(pattern, database)));
  return new Set(matching.flatMap((t) => [...t.fields]));
}

interface OpenSearchModel {
  query?: string;
  timeField?: string;
  metrics?: Array<{ field?: string }>;
  bucketAggs?: Array<{ field?: string }>;
}

/** Every field a Lucene query, its metrics, buckets and time field name. Template variables ($x) are skipped. */
function referencedFields(model: OpenSearchModel): string[] {
  const fromQuery = [...(model.query ?? '').matchAll(/([A-Za-z_@][\w.@]*):/g)].map((match) => match[1]);
  const fromAggs = [...(model.metrics ?? []), ...(model.bucketAggs ?? [])].map((agg) => agg.field).filter((field): field is string => Boolean(field));
  return [...fromQuery, ...fromAggs, ...(model.timeField ? [model.timeField] : [])];
}

function unknownFields(datasourceUid: string, model: OpenSearchModel): string[] {
  const datasource = datasources.find((d) => d.uid === datasourceUid);
  if (!datasource) {
    return [`<no provisioned data source ${datasourceUid}>`];
  }
  const known = fieldsFor(datasource.jsonData.database);
  return referencedFields(model).filter((field) => !known.has(field));
}

// ---------------------------------------------------------------------------------------------------------------
// Dashboards against @grafana/schema, with the compiler
// ---------------------------------------------------------------------------------------------------------------

/** The dashboard JSON as an object literal typed with @grafana/schema, so unknown or mistyped keys fail to compile. */
function schemaDiagnostics(json: unknown): string[] {
  const fileName = path.join(ROOT, 'tests', 'integration', '__dashboard_check__.ts');
  const source = `
import type { Dashboard, DataSourceRef, Panel } from '@grafana/schema';
interface OpenSearchMetric { id: string; type: 'count' | 'sum' | 'avg' | 'min' | 'max' | 'cardinality' | 'raw_data'; field?: string; settings?: Record<string, string> }
interface OpenSearchBucketAgg { id: string; type: 'terms' | 'date_histogram' | 'histogram' | 'filters'; field?: string; settings?: Record<string, string> }
interface OpenSearchQuery { refId: string; datasource?: DataSourceRef; queryType: 'lucene' | 'PPL'; query: string; alias?: string; metrics: OpenSearchMetric[]; bucketAggs: OpenSearchBucketAgg[]; timeField: string; hide?: boolean }
// JSON spells the schema's string enums (FieldColorModeId, ThresholdsMode, ...) as their values.
type Json<T> = T extends string ? \`\${T}\` : T extends number | boolean | null | undefined ? T : T extends Array<infer U> ? Array<Json<U>> : T extends object ? { [K in keyof T]: Json<T[K]> } : T;
type ProvisionedPanel = Json<Omit<Panel, 'targets'>> & { targets?: OpenSearchQuery[] };
type ProvisionedDashboard = Json<Omit<Dashboard, 'panels'>> & { uid: string; panels: ProvisionedPanel[] };
export const dashboard: ProvisionedDashboard = ${JSON.stringify(json)};
`;
  const options: ts.CompilerOptions = { strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, skipLibCheck: true, types: [] };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (file) => (file === fileName ? source : readFile(file));
  host.fileExists = ((exists) => (file: string) => file === fileName || exists(file))(host.fileExists.bind(host));
  host.getSourceFile = (file, languageVersion, ...rest) =>
    file === fileName ? ts.createSourceFile(file, source, languageVersion, true) : getSourceFile(file, languageVersion, ...rest);
  const program = ts.createProgram([fileName], options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file?.fileName === fileName)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('provisioned dashboards', () => {
  test.each(dashboards.map((d) => [path.basename(d.file), d.json]))('%s type-checks as a @grafana/schema Dashboard', (_name, json) => {
    expect(schemaDiagnostics(json)).toEqual([]);
  });

  test.each(dashboards.map((d) => [path.basename(d.file), d.json]))('%s has a stable uid, no numeric id, and panels that do not overlap', (_name, json) => {
    expect(json.uid).toMatch(/^spothreat-/);
    expect(json).not.toHaveProperty('id');
    const cells = new Set<string>();
    for (const panel of json.panels) {
      for (let x = panel.gridPos.x; x < panel.gridPos.x + panel.gridPos.w; x++) {
        for (let y = panel.gridPos.y; y < panel.gridPos.y + panel.gridPos.h; y++) {
          expect(cells.has(`${x},${y}`)).toBe(false);
          cells.add(`${x},${y}`);
        }
      }
      expect(panel.gridPos.x + panel.gridPos.w).toBeLessThanOrEqual(24);
    }
  });

  test.each(dashboards.map((d) => [path.basename(d.file), d.json]))('every query of %s names fields the OpenSearch templates map', (_name, json) => {
    const problems = json.panels.flatMap((panel: any) =>
      (panel.targets ?? []).flatMap((target: any) => unknownFields(target.datasource.uid, target).map((field) => `${panel.title}: ${field}`))
    );
    expect(problems).toEqual([]);
  });

  it('uses only the panel plugins the app ships or Grafana has built in', () => {
    const ours = new Set(pluginJson.includes.filter((i: any) => i.type === 'panel').map((i: any) => i.id));
    const builtIn = new Set(['stat', 'timeseries', 'bargauge', 'table', 'text', 'nodeGraph', 'geomap']);
    const used = dashboards.flatMap((d) => d.json.panels.map((p: any) => p.type));
    expect(used.filter((type) => !ours.has(type) && !builtIn.has(type))).toEqual([]);
  });

  it('the NOC screen refreshes itself and hides the controls a wall screen does not need', () => {
    const noc = dashboards.find((d) => d.json.uid === 'spothreat-noc-screen')!.json;
    expect(noc.refresh).toBe('30s');
    expect(noc.timepicker.hidden).toBe(true);
    expect(noc.panels.filter((p: any) => p.type === 'stat').every((p: any) => p.options.text?.valueSize >= 48)).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Alerting, in Grafana's file-provisioning shape
// ---------------------------------------------------------------------------------------------------------------

const queryData = z.object({
  refId: z.string().min(1),
  queryType: z.string().optional(),
  relativeTimeRange: z.object({ from: z.number().int().min(0), to: z.number().int().min(0) }),
  datasourceUid: z.string().min(1),
  model: z.record(z.string(), z.unknown()),
});

const rule = z
  .object({
    uid: z.string().regex(/^[a-zA-Z0-9_-]{1,40}$/),
    title: z.string().min(1),
    condition: z.string().min(1),
    data: z.array(queryData).min(1),
    noDataState: z.enum(['Alerting', 'NoData', 'OK']),
    execErrState: z.enum(['Alerting', 'Error', 'OK']),
    for: z.string().regex(/^\d+[smh]$/),
    annotations: z.record(z.string(), z.string()).optional(),
    labels: z.record(z.string(), z.string()).optional(),
    isPaused: z.boolean().optional(),
  })
  .strict();

const rulesFile = z
  .object({
    apiVersion: z.literal(1),
    groups: z.array(z.object({ orgId: z.number().int(), name: z.string().min(1), folder: z.string().min(1), interval: z.string().regex(/^\d+[smh]$/), rules: z.array(rule).min(1) }).strict()),
  })
  .strict();

const contactPointsFile = z
  .object({
    apiVersion: z.literal(1),
    contactPoints: z.array(
      z.object({
        orgId: z.number().int(),
        name: z.string().min(1),
        receivers: z.array(z.object({ uid: z.string().min(1), type: z.string().min(1), settings: z.record(z.string(), z.unknown()), disableResolveMessage: z.boolean().optional() }).strict()).min(1),
      })
    ),
  })
  .strict();

const templatesFile = z.object({ apiVersion: z.literal(1), templates: z.array(z.object({ orgId: z.number().int(), name: z.string().min(1), template: z.string().min(1) }).strict()) }).strict();

describe('provisioned alerting', () => {
  const rules = rulesFile.parse(alerting.rules).groups.flatMap((group) => group.rules);

  it('follows the documented file shapes for rules, contact points and message templates', () => {
    expect(() => rulesFile.parse(alerting.rules)).not.toThrow();
    expect(() => contactPointsFile.parse(alerting['contact-points'])).not.toThrow();
    expect(() => templatesFile.parse(alerting.templates)).not.toThrow();
  });

  it('covers new severity-1 events, bursts per data type and silent sources', () => {
    expect(rules.map((r) => r.uid).sort()).toEqual(['spothreat-new-severity-1', 'spothreat-source-silent', 'spothreat-suspicious-burst']);
  });

  test.each(rules.map((r) => [r.uid, r]))('%s: the condition and every expression refer to queries of the rule', (_uid, r) => {
    const refIds = new Set(r.data.map((d) => d.refId));
    expect(refIds.has(r.condition)).toBe(true);
    for (const step of r.data.filter((d) => d.datasourceUid === '__expr__')) {
      expect(refIds.has(String(step.model.expression))).toBe(true);
    }
  });

  test.each(rules.map((r) => [r.uid, r]))('%s: queries name fields the OpenSearch templates map', (_uid, r) => {
    const problems = r.data.filter((d) => d.datasourceUid !== '__expr__').flatMap((d) => unknownFields(d.datasourceUid, d.model as OpenSearchModel));
    expect(problems).toEqual([]);
  });

  it('message templates define every template the contact points use', () => {
    const defined = new Set([...alerting.templates.templates[0].template.matchAll(/define "([^"]+)"/g)].map((m: RegExpMatchArray) => m[1]));
    const used = [...JSON.stringify(alerting['contact-points']).matchAll(/template \\"([^\\]+)\\"/g)].map((m) => m[1]);
    expect(used.length).toBeGreaterThan(0);
    expect(used.filter((name) => !defined.has(name))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Data sources, the app, and plugin.json
// ---------------------------------------------------------------------------------------------------------------

describe('provisioned data sources and app', () => {
  it('points Grafana\'s OpenSearch data source at index patterns our templates cover', () => {
    for (const datasource of datasources) {
      expect(datasource.type).toBe('grafana-opensearch-datasource');
      expect(fieldsFor(datasource.jsonData.database).has(datasource.jsonData.timeField)).toBe(true);
    }
  });

  it('enables the app with the scorer URL in jsonData and the token only in secureJsonData', () => {
    const [app] = readYaml(path.join(PROVISIONING, 'plugins', 'spothreat-app.yaml')).apps;
    expect(app.type).toBe(pluginJson.id);
    expect(Object.keys(app.jsonData)).toEqual(['scorerUrl']);
    expect(Object.keys(app.secureJsonData)).toEqual(['token']);
    const route = pluginJson.routes.find((r: any) => r.path === 'scorer');
    expect(route.url).toBe('{{ .JsonData.scorerUrl }}');
    expect(route.headers).toEqual([{ name: 'Authorization', content: 'Bearer {{ .SecureJsonData.token }}' }]);
  });

  it('includes each provisioned dashboard in plugin.json under its own uid', () => {
    const included = pluginJson.includes.filter((i: any) => i.type === 'dashboard');
    expect(included.map((i: any) => i.uid).sort()).toEqual(dashboards.map((d) => d.json.uid).sort());
    for (const include of included) {
      expect(dashboards.some((d) => `dashboards/${path.basename(d.file)}` === include.path && d.json.uid === include.uid)).toBe(true);
    }
  });

  it('loads the dashboards from the folder they sit in', () => {
    const [provider] = readYaml(path.join(PROVISIONING, 'dashboards', 'spothreat.yaml')).providers;
    expect(provider.type).toBe('file');
    expect(provider.options.path).toBe('/etc/grafana/provisioning/dashboards');
  });
});
