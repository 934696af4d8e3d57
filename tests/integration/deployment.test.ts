/**
 * The deployment files (provisioning/compose and provisioning/kubernetes), checked by parsing them: there is no
 * Docker engine and no cluster on the machines these tests run on, so nothing here starts a container. What can
 * be checked without one is checked against the product itself: settings against the scorer's own config
 * validation, commands against the real command line, probe paths against the API's routes, mounts against
 * the repository. No services needed.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../scorer-service/src/config';

jest.setTimeout(120_000);

const ROOT = path.resolve(__dirname, '..', '..');
const COMPOSE_DIR = path.join(ROOT, 'provisioning', 'compose');
const KUBERNETES_DIR = path.join(ROOT, 'provisioning', 'kubernetes');
const CLI = path.join(ROOT, 'scorer-service', 'bin', 'spothreat.cjs');

// The yaml package the scorer workspace declares for these tests.
const YAML: typeof import('yaml') = require(require.resolve('yaml', { paths: [path.join(ROOT, 'scorer-service')] }));

type Json = any;

function readYamlDocuments(file: string): Json[] {
  // Compose files share settings through anchors and merge keys (<<), which YAML 1.2 leaves off by default.
  const documents = YAML.parseAllDocuments(fs.readFileSync(file, 'utf8'), { merge: true });
  for (const document of documents) {
    if (document.errors.length > 0) throw new Error(`${path.relative(ROOT, file)}: ${document.errors.map((e) => e.message).join('; ')}`);
  }
  return documents.map((document) => document.toJSON()).filter((value) => value !== null && value !== undefined);
}

function readYaml(file: string): Json {
  const [document] = readYamlDocuments(file);
  return document;
}

// ---------------------------------------------------------------------------------------------------------------
// What the product says about itself
// ---------------------------------------------------------------------------------------------------------------

/** The SPOTHREAT_* names of config.ts's env-name table: the only variables the scorer reads. */
function configEnvNames(): Set<string> {
  const source = fs.readFileSync(path.join(ROOT, 'scorer-service', 'src', 'config.ts'), 'utf8');
  const table = /const envNames[^=]*=\s*\{([\s\S]*?)\n\};/.exec(source);
  if (!table) throw new Error('config.ts has no envNames table');
  return new Set([...table[1].matchAll(/'(SPOTHREAT_[A-Z0-9_]+)'/g)].map((match) => match[1]));
}
const KNOWN_SETTINGS = configEnvNames();

/** The path of the API's health route as the server registers it. */
function healthRoute(): string {
  const source = fs.readFileSync(path.join(ROOT, 'scorer-service', 'src', 'api', 'routes', 'system.ts'), 'utf8');
  const route = /app\.get\('([^']*\/health)'/.exec(source);
  if (!route) throw new Error('no health route in api/routes/system.ts');
  return route[1];
}
const HEALTH_PATH = healthRoute();

const PLUGIN_ID: string = JSON.parse(fs.readFileSync(path.join(ROOT, 'grafana-app', 'src', 'plugin.json'), 'utf8')).id;

/** The folder webpack writes the built app to, relative to the repository. */
function pluginDistFolder(): string {
  const source = fs.readFileSync(path.join(ROOT, 'grafana-app', 'webpack.config.cjs'), 'utf8');
  const dist = /const DIST = path\.resolve\(__dirname, '([^']+)'\)/.exec(source);
  if (!dist) throw new Error('grafana-app/webpack.config.cjs has no DIST folder');
  return path.join('grafana-app', dist[1]);
}

/** A token the API accepts (16 characters or more). */
const GOOD_TOKEN = 'a-test-token-of-32-characters-00';

// ---------------------------------------------------------------------------------------------------------------
// Compose interpolation and .env files, as the Compose specification defines them
// ---------------------------------------------------------------------------------------------------------------

interface Interpolated {
  value: string;
  names: string[];
}

/** Resolves `$$`, `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`, `${VAR?error}`, `${VAR:+alt}`. */
function interpolate(text: string, vars: Record<string, string | undefined>): Interpolated {
  const names: string[] = [];
  const value = text.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (match, braced, operator, argument, bare) => {
    if (match === '$$') return '$';
    const name: string = braced ?? bare;
    names.push(name);
    const current = vars[name];
    const unset = current === undefined;
    const empty = unset || current === '';
    switch (operator) {
      case ':-':
        return empty ? argument : current;
      case '-':
        return unset ? argument : current;
      case ':?':
        if (empty) throw new Error(`required variable ${name}: ${argument}`);
        return current;
      case '?':
        if (unset) throw new Error(`required variable ${name}: ${argument}`);
        return current;
      case ':+':
        return empty ? '' : argument;
      case '+':
        return unset ? '' : argument;
      default:
        return current ?? '';
    }
  });
  return { value, names };
}

/** Every variable a value (string, list or map, at any depth) refers to. */
function referencedNames(value: Json): string[] {
  if (typeof value === 'string') {
    const names: string[] = [];
    for (const match of value.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)|\$([A-Za-z_][A-Za-z0-9_]*)/g)) {
      if (match.index !== undefined && match.index > 0 && value[match.index - 1] === '$') continue;
      names.push(match[1] ?? match[2]);
    }
    return names;
  }
  if (Array.isArray(value)) return value.flatMap(referencedNames);
  if (value && typeof value === 'object') return Object.values(value).flatMap(referencedNames);
  return [];
}

/** Interpolates every string of a value, as Compose does before it reads the file. */
function interpolateAll(value: Json, vars: Record<string, string | undefined>): Json {
  if (typeof value === 'string') return interpolate(value, vars).value;
  if (Array.isArray(value)) return value.map((item) => interpolateAll(item, vars));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, interpolateAll(item, vars)]));
  return value;
}

interface EnvFile {
  /** Lines `NAME=value`. */
  values: Record<string, string>;
  /** Names of commented-out examples `# NAME=value` as well. */
  mentioned: Set<string>;
}

function readEnvFile(file: string): EnvFile {
  const values: Record<string, string> = {};
  const mentioned = new Set<string>();
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const assignment = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (assignment) {
      values[assignment[1]] = assignment[2];
      mentioned.add(assignment[1]);
      continue;
    }
    const example = /^#\s*([A-Z_][A-Z0-9_]*)=/.exec(line);
    if (example) mentioned.add(example[1]);
  }
  return { values, mentioned };
}

function environmentMap(environment: Json): Record<string, string | null> {
  if (!environment) return {};
  if (Array.isArray(environment)) {
    return Object.fromEntries(
      environment.map((entry: string) => {
        const at = entry.indexOf('=');
        return at < 0 ? [entry, null] : [entry.slice(0, at), entry.slice(at + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries(environment).map(([key, value]) => [key, value === null ? null : String(value)]));
}

/** `600s`, `10m`, `1m30s` in seconds. */
function durationSeconds(duration: string): number {
  const parts = [...duration.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us|ns)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== duration) throw new Error(`not a duration: ${duration}`);
  const unit: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 1e-3, us: 1e-6, ns: 1e-9 };
  return parts.reduce((sum, part) => sum + Number(part[1]) * unit[part[2]], 0);
}

interface PortMapping {
  hostIp?: string;
  hostPort: string;
  containerPort: string;
}

/** Short syntax `[HOST_IP:]HOST_PORT:CONTAINER_PORT[/PROTOCOL]`, after interpolation. */
function portMapping(spec: string): PortMapping {
  const withoutProtocol = spec.replace(/\/(tcp|udp)$/, '');
  const parts = withoutProtocol.split(':');
  if (parts.length === 3) return { hostIp: parts[0], hostPort: parts[1], containerPort: parts[2] };
  if (parts.length === 2) return { hostPort: parts[0], containerPort: parts[1] };
  return { hostPort: '', containerPort: parts[0] };
}

interface Mount {
  source: string;
  target: string;
  readOnly: boolean;
}

function mountOf(spec: Json): Mount {
  if (typeof spec === 'string') {
    const [source, target, mode] = spec.split(':');
    return { source, target, readOnly: mode === 'ro' };
  }
  return { source: spec.source, target: spec.target, readOnly: spec.read_only === true };
}

const isBindMount = (mount: Mount) => mount.source.startsWith('.') || mount.source.startsWith('/');

/** The spothreat command a scorer container runs (compose `command`, Kubernetes `args`). */
function runCli(args: string[]): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, SPOTHREAT_API_TOKEN: GOOD_TOKEN } });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** Commands named in the deployment files, checked once each against the real command line. */
const commandsUsed = new Map<string, string[]>();
function noteCommand(args: string[]): void {
  // The command words come before the first option.
  const words = args.slice(0, args.findIndex((arg) => arg.startsWith('-')) < 0 ? args.length : args.findIndex((arg) => arg.startsWith('-')));
  commandsUsed.set(words.join(' '), words);
}

// ---------------------------------------------------------------------------------------------------------------
// Compose
// ---------------------------------------------------------------------------------------------------------------

const COMPOSE_FILES = ['compose.yaml', 'compose.worker.yaml'];
const envExample = readEnvFile(path.join(COMPOSE_DIR, '.env.example'));
/** What a user's .env holds after filling in the two secrets of .env.example. */
const filledEnv: Record<string, string> = { ...envExample.values, SPOTHREAT_API_TOKEN: GOOD_TOKEN, GRAFANA_ADMIN_PASSWORD: 'a-password' };
// A worker-only host names the cluster and Redis it reaches.
const workerHostEnv: Record<string, string> = { ...filledEnv, SPOTHREAT_OPENSEARCH_URL: 'http://10.0.0.5:9200', SPOTHREAT_REDIS_URL: 'redis://10.0.0.6:6379' };

const compose = readYaml(path.join(COMPOSE_DIR, 'compose.yaml'));
const resolvedCompose = interpolateAll(compose, filledEnv);
const workerCompose = interpolateAll(readYaml(path.join(COMPOSE_DIR, 'compose.worker.yaml')), workerHostEnv);

/** Services that run the scorer image: built from our Dockerfile. */
function scorerServices(file: Json): Array<[string, Json]> {
  return Object.entries<Json>(file.services).filter(([, service]) => service.build?.dockerfile === 'provisioning/compose/Dockerfile');
}

/** The environment a scorer container starts with: its env_file (.env) under its `environment`. */
function scorerEnvironment(service: Json, dotEnv: Record<string, string>): Record<string, string> {
  const fromFile = service.env_file ? dotEnv : {};
  const own = environmentMap(service.environment);
  const merged: Record<string, string> = { ...fromFile };
  for (const [key, value] of Object.entries(own)) {
    if (value === null) {
      if (dotEnv[key] === undefined) delete merged[key];
      else merged[key] = dotEnv[key];
    } else merged[key] = value;
  }
  return merged;
}

describe('compose files', () => {
  it.each(COMPOSE_FILES)('%s parses, and every service has an image or a build whose Dockerfile exists', (name) => {
    const file = readYaml(path.join(COMPOSE_DIR, name));
    expect(Object.keys(file.services).length).toBeGreaterThan(0);
    for (const [serviceName, service] of Object.entries<Json>(file.services)) {
      expect({ service: serviceName, hasImageOrBuild: Boolean(service.image || service.build) }).toEqual({ service: serviceName, hasImageOrBuild: true });
      if (service.build) {
        const context = path.resolve(COMPOSE_DIR, service.build.context);
        expect(fs.existsSync(path.join(context, service.build.dockerfile))).toBe(true);
      }
    }
  });

  it.each(COMPOSE_FILES)('%s reads only variables .env.example lists, and every SPOTHREAT_* one is a scorer setting', (name) => {
    const names = new Set(referencedNames(readYaml(path.join(COMPOSE_DIR, name))));
    expect(names.size).toBeGreaterThan(0);
    expect([...names].filter((variable) => !envExample.mentioned.has(variable))).toEqual([]);
    expect([...names].filter((variable) => variable.startsWith('SPOTHREAT_') && !KNOWN_SETTINGS.has(variable))).toEqual([]);
  });

  it('.env.example names only scorer settings under SPOTHREAT_, and leaves both secrets for the user to set', () => {
    expect([...envExample.mentioned].filter((variable) => variable.startsWith('SPOTHREAT_') && !KNOWN_SETTINGS.has(variable))).toEqual([]);
    expect(envExample.values.SPOTHREAT_API_TOKEN).toBe('');
    expect(envExample.values.GRAFANA_ADMIN_PASSWORD).toBe('');
  });

  it('refuses to start without an API token or a Grafana admin password', () => {
    expect(() => interpolateAll(compose, { ...envExample.values, GRAFANA_ADMIN_PASSWORD: 'a-password' })).toThrow(/SPOTHREAT_API_TOKEN/);
    expect(() => interpolateAll(compose, { ...envExample.values, SPOTHREAT_API_TOKEN: GOOD_TOKEN })).toThrow(/GRAFANA_ADMIN_PASSWORD/);
    expect(() => interpolateAll(compose, filledEnv)).not.toThrow();
  });

  it('gives every scorer container only known SPOTHREAT_* settings, which pass the scorer config validation', () => {
    for (const [file, dotEnv] of [
      [resolvedCompose, filledEnv],
      [workerCompose, workerHostEnv],
    ] as const) {
      const services = scorerServices(file);
      expect(services.length).toBeGreaterThan(0);
      for (const [serviceName, service] of services) {
        const own = Object.keys(environmentMap(service.environment));
        expect({ service: serviceName, unknown: own.filter((key) => !KNOWN_SETTINGS.has(key)) }).toEqual({ service: serviceName, unknown: [] });
        const env = scorerEnvironment(service, dotEnv);
        expect(() => loadConfig(env)).not.toThrow();
      }
    }
  });

  it('points the scorer containers of the full stack at the opensearch and redis services', () => {
    for (const [, service] of scorerServices(resolvedCompose)) {
      const config = loadConfig(scorerEnvironment(service, filledEnv));
      expect(new URL(config.opensearch.url).hostname).toBe('opensearch');
      expect(new URL(config.redis.url).hostname).toBe('redis');
    }
  });

  it('has a worker-only file for other hosts that demands the cluster and Redis addresses', () => {
    const raw = readYaml(path.join(COMPOSE_DIR, 'compose.worker.yaml'));
    expect(Object.keys(raw.services)).toEqual(['worker']);
    expect(() => interpolateAll(raw, filledEnv)).toThrow(/SPOTHREAT_OPENSEARCH_URL|SPOTHREAT_REDIS_URL/);
    const config = loadConfig(scorerEnvironment(workerCompose.services.worker, workerHostEnv));
    expect(config.opensearch.url).toBe('http://10.0.0.5:9200');
    expect(config.redis.url).toBe('redis://10.0.0.6:6379');
  });

  it('publishes ports on an explicit address, the unauthenticated ones on loopback only, to the ports the containers listen on', () => {
    const listening: Record<string, string> = { opensearch: '9200', redis: '6379', api: '7070', grafana: '3000' };
    for (const [serviceName, service] of Object.entries<Json>(resolvedCompose.services)) {
      for (const spec of service.ports ?? []) {
        const port = portMapping(String(spec));
        expect({ service: serviceName, hostIp: port.hostIp !== undefined && port.hostIp !== '' }).toEqual({ service: serviceName, hostIp: true });
        expect(Number(port.hostPort)).toBeGreaterThan(0);
        expect({ service: serviceName, containerPort: port.containerPort }).toEqual({ service: serviceName, containerPort: listening[serviceName] });
        // Security is off on this OpenSearch, Redis has no password, and the API is the scorer's back door.
        if (['opensearch', 'redis', 'api'].includes(serviceName)) expect(port.hostIp).toBe('127.0.0.1');
      }
    }
    const api = loadConfig(scorerEnvironment(resolvedCompose.services.api, filledEnv));
    expect(api.api.host).toBe('0.0.0.0');
    expect(String(api.api.port)).toBe(listening.api);
  });

  it('lets the number of workers be set: replicas from WORKER_REPLICAS, nothing that would stop --scale', () => {
    for (const [file, raw] of [
      [resolvedCompose, compose],
      [workerCompose, readYaml(path.join(COMPOSE_DIR, 'compose.worker.yaml'))],
    ] as const) {
      const worker = file.services.worker;
      expect(worker.container_name).toBeUndefined();
      expect(worker.ports).toBeUndefined();
      expect(raw.services.worker.deploy.replicas).toMatch(/^\$\{WORKER_REPLICAS:-\d+\}$/);
      expect(Number(interpolate(raw.services.worker.deploy.replicas, { WORKER_REPLICAS: '7' }).value)).toBe(7);
      expect(Number.isInteger(Number(worker.deploy.replicas))).toBe(true);
    }
  });

  it('starts the API and workers after healthy OpenSearch and Redis and applied templates', () => {
    const services = resolvedCompose.services;
    for (const name of ['api', 'worker']) {
      expect(services[name].depends_on).toEqual({
        opensearch: { condition: 'service_healthy' },
        redis: { condition: 'service_healthy' },
        templates: { condition: 'service_completed_successfully' },
      });
    }
    expect(services.templates.command).toEqual(['templates', 'apply']);
    expect(services.templates.restart).toBe('no');
    for (const [serviceName, service] of Object.entries<Json>(services)) {
      for (const [dependency, condition] of Object.entries<Json>(service.depends_on ?? {})) {
        expect({ service: serviceName, dependency, exists: dependency in services }).toEqual({ service: serviceName, dependency, exists: true });
        if (condition.condition === 'service_healthy') expect(services[dependency].healthcheck?.test).toBeDefined();
      }
    }
  });

  it('checks the API health on its real route and port', () => {
    const test: string[] = resolvedCompose.services.api.healthcheck.test;
    expect(test.join(' ')).toContain(`http://127.0.0.1:7070${HEALTH_PATH}`);
  });

  it('runs Redis the way BullMQ needs it: noeviction, append-only file, a volume', () => {
    const redis = resolvedCompose.services.redis;
    const command: string[] = redis.command;
    expect(command[command.indexOf('--maxmemory-policy') + 1]).toBe('noeviction');
    expect(command[command.indexOf('--appendonly') + 1]).toBe('yes');
    expect(String(redis.image)).toMatch(/^redis:7/);
    expect(redis.volumes.map(mountOf).map((m: Mount) => m.target)).toContain('/data');
  });

  it('runs a single-node OpenSearch 2.x with a fixed heap and a data volume, its disabled security marked as a local trial', () => {
    const opensearch = resolvedCompose.services.opensearch;
    expect(String(opensearch.image)).toMatch(/^opensearchproject\/opensearch:2\.\d+\.\d+$/);
    expect(opensearch.environment['discovery.type']).toBe('single-node');
    expect(opensearch.environment.DISABLE_SECURITY_PLUGIN).toBe('true');
    const heap = /-Xms(\S+) -Xmx(\S+)/.exec(opensearch.environment.OPENSEARCH_JAVA_OPTS);
    expect(heap?.[1]).toBe(heap?.[2]);
    expect(opensearch.volumes.map(mountOf).map((m: Mount) => m.target)).toContain('/usr/share/opensearch/data');
    const text = fs.readFileSync(path.join(COMPOSE_DIR, 'compose.yaml'), 'utf8');
    expect(text).toMatch(/LOCAL TRIAL ONLY[\s\S]*In production run OpenSearch with the\s+#\s+security plugin on/);
  });

  it('gives Grafana the built app, unsigned loading for exactly its id, the data source plugin, and every provisioning folder', () => {
    const grafana = resolvedCompose.services.grafana;
    expect(String(grafana.image)).toMatch(/^grafana\/grafana:/);
    const env = environmentMap(grafana.environment);
    expect(env.GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS).toBe(PLUGIN_ID);
    const mounts: Mount[] = grafana.volumes.map(mountOf);

    const app = mounts.find((mount) => mount.target === `/var/lib/grafana/plugins/${PLUGIN_ID}`);
    expect(app).toBeDefined();
    // dist/ exists only after a build, so the folder name is checked against webpack's output folder.
    expect(path.relative(ROOT, path.resolve(COMPOSE_DIR, app!.source))).toBe(pluginDistFolder());

    for (const folder of ['plugins', 'datasources', 'dashboards', 'alerting']) {
      const mount = mounts.find((m) => m.target === `/etc/grafana/provisioning/${folder}`);
      expect({ folder, mounted: mount !== undefined }).toEqual({ folder, mounted: true });
      expect(path.resolve(COMPOSE_DIR, mount!.source)).toBe(path.join(ROOT, 'provisioning', folder));
      expect(fs.statSync(path.resolve(COMPOSE_DIR, mount!.source)).isDirectory()).toBe(true);
      expect(mount!.readOnly).toBe(true);
    }
  });

  it('mounts only folders that exist in the repository (the app build output aside)', () => {
    for (const file of [resolvedCompose, workerCompose]) {
      for (const [serviceName, service] of Object.entries<Json>(file.services)) {
        for (const mount of (service.volumes ?? []).map(mountOf).filter(isBindMount)) {
          const source = path.resolve(COMPOSE_DIR, mount.source);
          if (path.relative(ROOT, source) === pluginDistFolder()) continue;
          expect({ service: serviceName, source: mount.source, exists: fs.existsSync(source) }).toEqual({ service: serviceName, source: mount.source, exists: true });
        }
      }
    }
  });

  it('installs every data source plugin the provisioning uses that Grafana does not bundle', () => {
    const types = new Set<string>();
    for (const name of fs.readdirSync(path.join(ROOT, 'provisioning', 'datasources')).filter((n) => /\.ya?ml$/.test(n))) {
      for (const source of readYaml(path.join(ROOT, 'provisioning', 'datasources', name)).datasources ?? []) types.add(source.type);
    }
    const installed = String(environmentMap(resolvedCompose.services.grafana.environment).GF_PLUGINS_PREINSTALL_SYNC ?? '')
      .split(',')
      .map((entry) => entry.trim().split('@')[0]);
    expect([...types].filter((type) => type.includes('-') && !installed.includes(type))).toEqual([]);
  });

  it('sets every variable the mounted provisioning files expand, and no other SPOTHREAT_* name than the scorer knows', () => {
    const grafana = resolvedCompose.services.grafana;
    const env = environmentMap(grafana.environment);
    const expanded = new Set<string>();
    for (const mount of grafana.volumes.map(mountOf).filter(isBindMount)) {
      if (!mount.target.startsWith('/etc/grafana/provisioning/')) continue;
      const folder = path.resolve(COMPOSE_DIR, mount.source);
      for (const name of fs.readdirSync(folder).filter((n) => /\.(ya?ml|json)$/.test(n))) {
        for (const match of fs.readFileSync(path.join(folder, name), 'utf8').matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)) expanded.add(match[1]);
      }
    }
    expect(expanded.size).toBeGreaterThan(0);
    expect([...expanded].filter((name) => !env[name])).toEqual([]);
    // The plugin route's scorer URL is a Grafana-side name of the provisioning files; the rest are scorer settings.
    const spothreatNames = Object.keys(env).filter((name) => name.startsWith('SPOTHREAT_'));
    expect(spothreatNames.filter((name) => !KNOWN_SETTINGS.has(name) && !expanded.has(name))).toEqual([]);
    expect(new URL(env.SPOTHREAT_SCORER_URL!).host).toBe('api:7070');
    expect(env.SPOTHREAT_API_TOKEN).toBe(GOOD_TOKEN);
  });

  it('finds the dashboards where the dashboard provider looks for them', () => {
    const grafana = resolvedCompose.services.grafana;
    const mounts: Mount[] = grafana.volumes.map(mountOf);
    const folder = path.join(ROOT, 'provisioning', 'dashboards');
    for (const name of fs.readdirSync(folder).filter((n) => /\.ya?ml$/.test(n))) {
      for (const provider of readYaml(path.join(folder, name)).providers ?? []) {
        const mount = mounts.find((m) => provider.options.path === m.target || String(provider.options.path).startsWith(`${m.target}/`));
        expect(mount).toBeDefined();
        const onDisk = path.join(path.resolve(COMPOSE_DIR, mount!.source), path.relative(mount!.target, provider.options.path));
        expect(fs.readdirSync(onDisk).some((n) => n.endsWith('.json'))).toBe(true);
      }
    }
  });

  it('gives the workers the same grace period to finish their jobs as the Kubernetes workers', () => {
    const kubernetesWorker = kubernetesObjects.find((o) => o.object.kind === 'Deployment' && o.object.metadata.name === 'spothreat-worker')!.object;
    for (const file of [resolvedCompose, workerCompose]) {
      expect(durationSeconds(file.services.worker.stop_grace_period)).toBe(kubernetesWorker.spec.template.spec.terminationGracePeriodSeconds);
    }
  });

  it('builds the scorer image from node:20 with npm ci, the sources it needs, and the spothreat entry point', () => {
    const dockerfile = fs.readFileSync(path.join(COMPOSE_DIR, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^FROM node:20\b/m);
    expect(dockerfile).toMatch(/^RUN npm ci\b/m);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["node", "scorer-service\/bin\/spothreat\.cjs"\]$/m);

    const ignore = fs
      .readFileSync(path.join(COMPOSE_DIR, 'Dockerfile.dockerignore'), 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'));
    const sources = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((match) => match[1].split(/\s+/));
    expect(sources).toEqual(expect.arrayContaining(['package-lock.json', 'scorer-service', 'opensearch-templates']));
    for (const source of sources) {
      expect({ source, exists: fs.existsSync(path.join(ROOT, source)) }).toEqual({ source, exists: true });
      expect({ source, ignored: dockerIgnored(source, ignore) }).toEqual({ source, ignored: false });
    }
    // The CLI itself must survive the ignore file: its entry point and sources are in the context.
    expect(dockerIgnored('scorer-service/bin/spothreat.cjs', ignore)).toBe(false);
    expect(dockerIgnored('scorer-service/node_modules/x', ignore)).toBe(true);
  });
});

/** Whether .dockerignore rules exclude a path: the last matching rule wins, `!` re-includes, a match of a parent excludes its contents. */
function dockerIgnored(file: string, rules: string[]): boolean {
  const toRegExp = (pattern: string) =>
    new RegExp(
      `^${pattern
        .replace(/^\/+/, '')
        .split('/')
        .map((part) => (part === '**' ? '.*' : part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')))
        .join('/')
        .replace(/\.\*\//g, '(?:.*/)?')}$`,
    );
  const parts = file.split('/');
  const candidates = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  let ignored = false;
  for (const rule of rules) {
    const negated = rule.startsWith('!');
    const pattern = toRegExp(negated ? rule.slice(1) : rule);
    if (candidates.some((candidate) => pattern.test(candidate))) ignored = !negated;
  }
  return ignored;
}

// ---------------------------------------------------------------------------------------------------------------
// Kubernetes
// ---------------------------------------------------------------------------------------------------------------

const kubernetesFiles = fs.readdirSync(KUBERNETES_DIR).filter((name) => /\.ya?ml$/.test(name) && name !== 'kustomization.yaml');
const kubernetesObjects: Array<{ file: string; object: Json }> = kubernetesFiles.flatMap((file) =>
  readYamlDocuments(path.join(KUBERNETES_DIR, file)).map((object) => ({ file, object })),
);
const ofKind = (kind: string) => kubernetesObjects.map((o) => o.object).filter((object) => object.kind === kind);
const namespaceName: string = ofKind('Namespace')[0]?.metadata.name;

function podSpec(workload: Json): Json {
  return workload.kind === 'CronJob' ? workload.spec.jobTemplate.spec.template.spec : workload.spec.template.spec;
}
const workloads = () => kubernetesObjects.map((o) => o.object).filter((object) => ['Deployment', 'Job', 'CronJob'].includes(object.kind));

/** The environment a container starts with, from its envFrom sources in order and then its own env. */
function containerEnvironment(container: Json, overrides: Record<string, Record<string, string>> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    if (source.configMapRef) Object.assign(env, overrides[source.configMapRef.name] ?? ofKind('ConfigMap').find((m) => m.metadata.name === source.configMapRef.name)?.data);
    if (source.secretRef) {
      const secret = ofKind('Secret').find((s) => s.metadata.name === source.secretRef.name);
      Object.assign(env, overrides[source.secretRef.name] ?? secret?.stringData ?? {});
    }
  }
  for (const entry of container.env ?? []) if (entry.value !== undefined) env[entry.name] = String(entry.value);
  return env;
}

describe('Kubernetes manifests', () => {
  it('parses every file; each object has apiVersion, kind and a name, unique per kind', () => {
    expect(kubernetesObjects.length).toBeGreaterThan(0);
    const seen = new Set<string>();
    for (const { file, object } of kubernetesObjects) {
      expect({ file, apiVersion: typeof object.apiVersion, kind: typeof object.kind, name: typeof object.metadata?.name }).toEqual({
        file,
        apiVersion: 'string',
        kind: 'string',
        name: 'string',
      });
      const key = `${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`;
      expect(seen.has(key)).toBe(false);
      seen.add(key);
    }
  });

  it('puts every namespaced object in the namespace the manifests create', () => {
    expect(namespaceName).toBe('spothreat');
    for (const { object } of kubernetesObjects.filter((o) => o.object.kind !== 'Namespace')) {
      expect({ object: `${object.kind}/${object.metadata.name}`, namespace: object.metadata.namespace }).toEqual({
        object: `${object.kind}/${object.metadata.name}`,
        namespace: namespaceName,
      });
    }
  });

  it('lists every manifest in kustomization.yaml and names the image the containers use', () => {
    const kustomization = readYaml(path.join(KUBERNETES_DIR, 'kustomization.yaml'));
    expect(kustomization.kind).toBe('Kustomization');
    expect([...kustomization.resources].sort()).toEqual([...kubernetesFiles].sort());
    const images = new Set(workloads().flatMap((w) => podSpec(w).containers.map((c: Json) => String(c.image).split(':')[0])));
    expect([...images]).toEqual(kustomization.images.map((image: Json) => image.name));
  });

  it('gives every Deployment a selector its pod template labels match', () => {
    const deployments = ofKind('Deployment');
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual(['spothreat-api', 'spothreat-worker']);
    for (const deployment of deployments) {
      const labels = deployment.spec.template.metadata.labels;
      const selector = deployment.spec.selector.matchLabels;
      expect(Object.keys(selector).length).toBeGreaterThan(0);
      for (const [key, value] of Object.entries(selector)) expect({ deployment: deployment.metadata.name, key, value: labels[key] }).toEqual({ deployment: deployment.metadata.name, key, value });
    }
  });

  it('has each Service select the pods of exactly one Deployment, on a port its container declares', () => {
    const services = ofKind('Service');
    expect(services.length).toBeGreaterThan(0);
    for (const service of services) {
      const selected = ofKind('Deployment').filter((deployment) =>
        Object.entries(service.spec.selector).every(([key, value]) => deployment.spec.template.metadata.labels[key] === value),
      );
      expect({ service: service.metadata.name, selects: selected.map((d) => d.metadata.name) }).toEqual({ service: service.metadata.name, selects: ['spothreat-api'] });
      const ports = selected[0].spec.template.spec.containers.flatMap((c: Json) => c.ports ?? []);
      for (const port of service.spec.ports) {
        const target = port.targetPort ?? port.port;
        expect(ports.some((p: Json) => p.name === target || p.containerPort === target)).toBe(true);
      }
    }
  });

  it('probes the API on its real health route and declared port, readiness and liveness both', () => {
    const api = ofKind('Deployment').find((d) => d.metadata.name === 'spothreat-api');
    const container = api.spec.template.spec.containers[0];
    expect(container.readinessProbe?.httpGet).toBeDefined();
    expect(container.livenessProbe?.httpGet).toBeDefined();
    const declared = (container.ports ?? []).flatMap((p: Json) => [p.name, p.containerPort]);
    for (const workload of workloads()) {
      for (const c of podSpec(workload).containers) {
        for (const probe of [c.readinessProbe, c.livenessProbe, c.startupProbe].filter(Boolean)) {
          if (!probe.httpGet) continue;
          expect(probe.httpGet.path).toBe(HEALTH_PATH);
          expect(declared).toContain(probe.httpGet.port);
        }
      }
    }
    // The port the container declares is the one the API listens on.
    const config = loadConfig(containerEnvironment(container, { 'spothreat-secrets': { SPOTHREAT_API_TOKEN: GOOD_TOKEN } }));
    expect(container.ports.map((p: Json) => p.containerPort)).toContain(config.api.port);
    expect(config.api.host).toBe('0.0.0.0');
  });

  it('reads its settings from a ConfigMap and Secret that exist, hold only scorer settings, and pass the config validation', () => {
    for (const map of [...ofKind('ConfigMap'), ...ofKind('Secret')]) {
      const keys = Object.keys(map.data ?? {}).concat(Object.keys(map.stringData ?? {}));
      expect({ object: map.metadata.name, unknown: keys.filter((key) => !KNOWN_SETTINGS.has(key)) }).toEqual({ object: map.metadata.name, unknown: [] });
    }
    for (const workload of workloads()) {
      for (const container of podSpec(workload).containers) {
        for (const source of container.envFrom ?? []) {
          const [kind, name] = source.configMapRef ? ['ConfigMap', source.configMapRef.name] : ['Secret', source.secretRef.name];
          expect(ofKind(kind).some((object) => object.metadata.name === name)).toBe(true);
        }
        for (const entry of container.env ?? []) expect(KNOWN_SETTINGS.has(entry.name)).toBe(true);
        expect(() => loadConfig(containerEnvironment(container, { 'spothreat-secrets': { SPOTHREAT_API_TOKEN: GOOD_TOKEN } }))).not.toThrow();
      }
    }
  });

  it('ships a placeholder token the scorer refuses, so nothing runs until a real one is set', () => {
    const api = ofKind('Deployment').find((d) => d.metadata.name === 'spothreat-api');
    expect(() => loadConfig(containerEnvironment(api.spec.template.spec.containers[0]))).toThrow(/SPOTHREAT_API_TOKEN/);
  });

  it('scales workers by replicas, asks for resources, and waits for running jobs as long as the compose workers do', () => {
    const worker = ofKind('Deployment').find((d) => d.metadata.name === 'spothreat-worker');
    expect(worker.spec.replicas).toBeGreaterThan(1);
    const spec = worker.spec.template.spec;
    const lockSeconds = loadConfig(containerEnvironment(spec.containers[0], { 'spothreat-secrets': { SPOTHREAT_API_TOKEN: GOOD_TOKEN } })).queues.lockDurationMs / 1000;
    // Longer than the default 30 s, and longer than a job lock, so a stopping worker can finish its jobs.
    expect(spec.terminationGracePeriodSeconds).toBeGreaterThan(Math.max(30, lockSeconds));
    expect(spec.terminationGracePeriodSeconds).toBe(durationSeconds(resolvedCompose.services.worker.stop_grace_period));
    for (const workload of workloads()) {
      for (const container of podSpec(workload).containers) {
        expect(container.resources?.requests?.cpu).toBeDefined();
        expect(container.resources?.requests?.memory).toBeDefined();
        expect(container.resources?.limits?.memory).toBeDefined();
      }
    }
  });

  it('applies the templates with a Job that retries while the cluster comes up', () => {
    const jobs = ofKind('Job');
    expect(jobs).toHaveLength(1);
    const spec = podSpec(jobs[0]);
    expect(spec.containers[0].args).toEqual(['templates', 'apply']);
    expect(['OnFailure', 'Never']).toContain(spec.restartPolicy);
    expect(jobs[0].spec.backoffLimit).toBeGreaterThan(0);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The commands the files run
// ---------------------------------------------------------------------------------------------------------------

describe('commands in the deployment files', () => {
  beforeAll(() => {
    for (const file of [resolvedCompose, workerCompose]) for (const [, service] of scorerServices(file)) noteCommand(service.command);
    for (const workload of workloads()) for (const container of podSpec(workload).containers) noteCommand(container.args);
  });

  it('are commands the spothreat command line has', () => {
    expect([...commandsUsed.keys()].sort()).toEqual(['serve', 'templates apply', 'worker']);
    for (const [name, words] of commandsUsed) {
      const result = runCli([...words, '--help']);
      expect({ command: name, status: result.status }).toEqual({ command: name, status: 0 });
      expect(result.output).toMatch(new RegExp(`Usage: spothreat ${name}`));
    }
  });
});
