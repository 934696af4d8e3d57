import { commandExists, runVisible } from './processes';

/** The Debian packages the product's real parts come from, keyed by the program each provides. */
export const requiredPrograms: Record<string, string> = {
  'redis-server': 'redis-server',
  nfdump: 'nfdump',
  tshark: 'tshark',
  unzip: 'unzip',
};

let aptUpdated = false;

/**
 * Installs the Debian packages behind any missing program. Only root may do this; anyone else gets
 * the apt-get line to run.
 */
export async function ensurePrograms(programs: string[], log: (line: string) => void): Promise<void> {
  const missing: string[] = [];
  for (const program of programs) if (!(await commandExists(program))) missing.push(program);
  if (missing.length === 0) return;
  const packages = missing.map((p) => requiredPrograms[p] ?? p);
  if (process.getuid?.() !== 0) {
    throw new Error(`missing ${missing.join(', ')}: run 'sudo apt-get update && sudo apt-get install -y ${packages.join(' ')}'`);
  }
  log(`installing Debian packages: ${packages.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) {
    if ((await runVisible('apt-get', ['update', '-qq'], env)) !== 0) throw new Error('apt-get update failed');
    aptUpdated = true;
  }
  if ((await runVisible('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], env)) !== 0) {
    throw new Error(`apt-get install ${packages.join(' ')} failed`);
  }
}
