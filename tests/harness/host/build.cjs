// Bundles the harness host (the stand-in for Grafana's frontend) with esbuild into tests/harness/dist/host.js.
const path = require('node:path');
const esbuild = require('esbuild');

const root = path.resolve(__dirname, '..', '..', '..');
const cjs = (pkg) => path.join(root, 'node_modules', pkg, 'dist', 'cjs', 'index.cjs');

async function buildHost() {
  const outfile = path.join(__dirname, '..', 'dist', 'host.js');
  await esbuild.build({
    entryPoints: [path.join(__dirname, 'host.tsx')],
    outfile,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    jsx: 'automatic',
    // @grafana/ui's ES build default-imports CommonJS packages the way webpack allows and esbuild does not; the
    // CommonJS builds of the three packages load the same code without that difference.
    plugins: [
      {
        name: 'grafana-cjs',
        setup(build) {
          build.onResolve({ filter: /^@grafana\/(ui|data|runtime)$/ }, (args) => ({ path: cjs(args.path) }));
        },
      },
    ],
    define: { 'process.env.NODE_ENV': '"production"', global: 'window' },
    loader: { '.css': 'empty', '.svg': 'text', '.woff': 'empty', '.woff2': 'empty' },
    logLevel: 'warning',
  });
  return outfile;
}

module.exports = { buildHost };

if (require.main === module) {
  buildHost().then((file) => console.log(`built ${path.relative(root, file)}`));
}
