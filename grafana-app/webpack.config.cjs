// Builds the app the way Grafana's create-plugin does: every src/**/plugin.json with a module beside it becomes an
// AMD module.js in dist/ (the app at the root, the panels under panels/<name>/), with the packages Grafana shares
// at run time left external, so the plugin uses Grafana's own React and @grafana/* instances.
const fs = require('node:fs');
const path = require('node:path');
const CopyWebpackPlugin = require('copy-webpack-plugin');

const SRC = path.resolve(__dirname, 'src');
const DIST = path.resolve(__dirname, 'dist');
const DASHBOARDS = path.resolve(__dirname, '..', 'provisioning', 'dashboards');
const pluginJson = JSON.parse(fs.readFileSync(path.join(SRC, 'plugin.json'), 'utf8'));
const packageJson = JSON.parse(fs.readFileSync(path.join(__dirname, 'package.json'), 'utf8'));

/** Grafana's shared dependencies (create-plugin's externals list): never bundled, resolved by Grafana's loader. */
const EXTERNALS = [
  'lodash',
  'jquery',
  'moment',
  'slate',
  'emotion',
  '@emotion/react',
  '@emotion/css',
  'prismjs',
  'slate-plain-serializer',
  '@grafana/slate-react',
  'react',
  'react-dom',
  'react/jsx-runtime',
  'react/jsx-dev-runtime',
  'react-redux',
  'redux',
  'rxjs',
  'i18next',
  'react-router',
  'react-router-dom',
  'd3',
  'angular',
  /^@grafana\/ui/i,
  /^@grafana\/runtime/i,
  /^@grafana\/data/i,
  // The AMD loader's own `module` object, from which publicPath.ts derives where chunks live.
  { 'amd-module': 'module' },
];

function pluginEntries() {
  const entries = {};
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(full);
      } else if (entry.name === 'plugin.json') {
        const module = ['module.tsx', 'module.ts'].map((name) => path.join(dir, name)).find((file) => fs.existsSync(file));
        if (module) {
          const relative = path.relative(SRC, dir);
          entries[relative ? `${relative}/module` : 'module'] = [path.join(SRC, 'publicPath.ts'), module];
        }
      }
    }
  };
  walk(SRC);
  return entries;
}

const stamp = (content) =>
  content.toString().replace(/%VERSION%/g, packageJson.version).replace(/%TODAY%/g, new Date().toISOString().slice(0, 10));

module.exports = (env, argv) => {
  const production = argv.mode !== 'development';
  return {
    context: __dirname,
    mode: production ? 'production' : 'development',
    devtool: production ? 'source-map' : 'eval-source-map',
    entry: pluginEntries(),
    externals: EXTERNALS,
    output: {
      path: DIST,
      filename: '[name].js',
      chunkFilename: '[name].[contenthash:8].js',
      library: { type: 'amd' },
      publicPath: `public/plugins/${pluginJson.id}/`,
      uniqueName: pluginJson.id,
      clean: true,
    },
    resolve: { extensions: ['.ts', '.tsx', '.js', '.jsx', '.json'] },
    module: {
      rules: [
        {
          test: /\.[tj]sx?$/,
          exclude: /node_modules/,
          use: {
            loader: 'swc-loader',
            options: {
              jsc: {
                target: 'es2020',
                parser: { syntax: 'typescript', tsx: true, decorators: false },
                transform: { react: { runtime: 'automatic' } },
              },
            },
          },
        },
      ],
    },
    plugins: [
      new CopyWebpackPlugin({
        patterns: [
          { from: '**/plugin.json', context: SRC, to: '[path][name][ext]', transform: stamp },
          { from: 'img/**', context: SRC, to: '.' },
          // Nested panels show the app's logo; Grafana resolves their logos inside their own folder.
          ...fs
            .readdirSync(path.join(SRC, 'panels'), { withFileTypes: true })
            .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(SRC, 'panels', entry.name, 'plugin.json')))
            .map((entry) => ({ from: 'img/logo.svg', context: SRC, to: `panels/${entry.name}/img/logo.svg` })),
          { from: '*.json', context: DASHBOARDS, to: 'dashboards/', noErrorOnMissing: true },
          { from: 'README.md', to: 'README.md' },
        ],
      }),
    ],
    performance: { hints: false },
    stats: 'errors-warnings',
  };
};
