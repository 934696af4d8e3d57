// Builds grafana-app/dist when it is missing or older than anything it is built from, so a fresh clone's `npm test`
// has the module.js files the browser tests load, and a second run does not rebuild for nothing.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

function newestMtime(target) {
  if (!fs.existsSync(target)) {
    return 0;
  }
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) {
    return stat.mtimeMs;
  }
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(target)) {
    newest = Math.max(newest, newestMtime(path.join(target, entry)));
  }
  return newest;
}

function ensureAppBuilt(root) {
  const app = path.join(root, 'grafana-app');
  // webpack leaves unchanged files untouched, so module.js's own time says nothing; a stamp written after each
  // successful build does.
  const stamp = path.join(app, 'dist', '.built');
  const builtAt = fs.existsSync(path.join(app, 'dist', 'module.js')) && fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : 0;
  const inputs = ['src', 'webpack.config.cjs', 'package.json', 'README.md'].map((name) => path.join(app, name)).concat(path.join(root, 'provisioning', 'dashboards'));
  const sourcesAt = Math.max(...inputs.map(newestMtime));
  if (builtAt > sourcesAt) {
    return false;
  }
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  process.stderr.write('building the Grafana app (grafana-app/dist) ...\n');
  const result = spawnSync(npm, ['run', 'build', '-w', 'grafana-app'], { cwd: root, stdio: ['ignore', 2, 2] });
  if (result.status !== 0) {
    throw new Error(`building grafana-app failed (exit ${result.status})`);
  }
  fs.writeFileSync(stamp, `${new Date().toISOString()}\n`);
  return true;
}

module.exports = { ensureAppBuilt };

if (require.main === module) {
  const built = ensureAppBuilt(path.resolve(__dirname, '..', '..'));
  console.log(built ? 'grafana-app built' : 'grafana-app/dist is up to date');
}
