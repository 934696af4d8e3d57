// Two projects: unit tests sit beside the code and need no services; integration tests in tests/
// run against the real local OpenSearch and Redis (`spothreat stack up`).
const swc = ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript', tsx: true } }, module: { type: 'commonjs' } }];

module.exports = {
  // A global option: jest ignores testTimeout inside a project. Integration tests train models and start nodes.
  testTimeout: 300000,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      roots: ['<rootDir>/scorer-service/src'],
      testMatch: ['**/*.test.ts'],
      transform: { '^.+\\.(t|j)sx?$': swc },
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      roots: ['<rootDir>/tests/integration'],
      testMatch: ['**/*.test.ts'],
      transform: { '^.+\\.(t|j)sx?$': swc },
    },
    {
      // The Grafana app's component and helper tests: jsdom, React's automatic JSX runtime.
      displayName: 'grafana-app',
      testEnvironment: 'jsdom',
      roots: ['<rootDir>/grafana-app/src'],
      testMatch: ['**/*.test.ts', '**/*.test.tsx'],
      transform: { '^.+\\.(t|j)sx?$|^.+\\.mjs$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript', tsx: true }, transform: { react: { runtime: 'automatic' } } }, module: { type: 'commonjs' } }] },
      // Packages that ship only ES modules, which jest's CommonJS runtime needs compiled (create-plugin keeps a list like it).
      transformIgnorePatterns: ['/node_modules/(?!(marked|ol|d3(-[a-z]+)*|internmap|react-colorful|rbush|quickselect|earcut|pbf|color-[a-z]+|uuid|@react-hookz/web|@ver0/deep-equal|react-calendar|get-user-locale|memoize|mimic-function|@wojtekmaj/date-utils)/)'],
      setupFilesAfterEnv: ['<rootDir>/grafana-app/src/test/setup.ts'],
      moduleNameMapper: {
        // @grafana/ui's Icon fetches SVG files, which jsdom cannot.
        '^react-inlinesvg$': '<rootDir>/grafana-app/src/test/InlineSvgStub.tsx',
        // Stylesheets @grafana/ui imports for their side effect.
        '\\.css$': '<rootDir>/grafana-app/src/test/styleStub.ts',
      },
    },
    {
      // Built plugin in Debian's Chromium through the harness: needs grafana-app/dist (tests/run-all.cjs builds it).
      displayName: 'browser',
      testEnvironment: 'node',
      roots: ['<rootDir>/tests/browser'],
      testMatch: ['**/*.test.ts'],
      transform: { '^.+\\.(t|j)sx?$': swc },
    },
  ],
};
