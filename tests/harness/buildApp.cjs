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
  const builtAt = fs.existsSync(path.join(app, 'dist', 'module.js')) ? fs.statSync(path.join(app, 'dist', 'module.js')).mtimeMs : 0;
  const inputs = [path.join(app, 'src'), path.join(app, 'webpack.config.cjs'), path.join(app, 'package.json'), path.join(root, 'provisioning', 'dashboards')];
  const sourcesAt = Math.max(...inputs.map(newestMtime));
  if (builtAt > sourcesAt) {
    return false;
  }
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['run', 'build', '-w', 'grafana-app'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    throw new Error(`building grafana-app failed (exit ${result.status})`);
  }
  return true;
}

module.exports = { ensureAppBuilt };

if (require.main === module) {
  const built = ensureAppBuilt(path.resolve(__dirname, '..', '..'));
  console.log(built ? 'grafana-app built' : 'grafana-app/dist is up to date');
}
