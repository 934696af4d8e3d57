/**
 * Every data-testid in the app. Component tests (jsdom) and browser tests (the harness in Chromium) import these
 * same constants, so a renamed element breaks both at once instead of silently passing one.
 */
export const testIds = {
  appConfig: {
    container: 'spothreat-config',
    scorerUrl: 'spothreat-config-scorer-url',
    token: 'spothreat-config-token',
    submit: 'spothreat-config-submit',
    testConnection: 'spothreat-config-test',
    connectionStatus: 'spothreat-config-status',
  },
  app: {
    container: 'spothreat-app',
    tabs: 'spothreat-app-tabs',
    tab: (route: string) => `spothreat-app-tab-${route}`,
    error: 'spothreat-app-error',
  },
  threatList: {
    container: 'spothreat-threat-list',
    filter: 'spothreat-threat-list-filter',
    hideRated: 'spothreat-threat-list-hide-rated',
    rowCount: 'spothreat-threat-list-row-count',
    viewport: 'spothreat-threat-list-viewport',
    /** A column header that sorts the list; `aria-pressed` on the one that does now. */
    sortBy: (columnId: string) => `spothreat-threat-list-sort-${columnId}`,
    row: (eventId: string) => `spothreat-threat-row-${eventId}`,
    expand: (eventId: string) => `spothreat-threat-expand-${eventId}`,
    explanation: (eventId: string) => `spothreat-threat-explanation-${eventId}`,
    autoencoderMark: (eventId: string) => `spothreat-threat-ae-mark-${eventId}`,
    ldaEvidence: (eventId: string) => `spothreat-threat-lda-${eventId}`,
    autoencoderEvidence: (eventId: string) => `spothreat-threat-ae-${eventId}`,
    heuristicEvidence: (eventId: string) => `spothreat-threat-heuristics-${eventId}`,
    rate: (eventId: string, rating: number) => `spothreat-threat-rate-${rating}-${eventId}`,
    allowlist: (eventId: string) => `spothreat-threat-allowlist-${eventId}`,
    jobState: (eventId: string) => `spothreat-threat-job-${eventId}`,
    empty: 'spothreat-threat-list-empty',
  },
  allowlistForm: {
    container: 'spothreat-allowlist-form',
    field: (name: string) => `spothreat-allowlist-field-${name}`,
    reason: 'spothreat-allowlist-reason',
    expiry: 'spothreat-allowlist-expiry',
    submit: 'spothreat-allowlist-submit',
  },
  networkGraph: {
    container: 'spothreat-network-graph',
    canvas: 'spothreat-network-graph-canvas',
    stats: 'spothreat-network-graph-stats',
    nodeDetails: 'spothreat-network-graph-node',
  },
  geoMap: {
    container: 'spothreat-geo-map',
    canvas: 'spothreat-geo-map-canvas',
    stats: 'spothreat-geo-map-stats',
    pointDetails: 'spothreat-geo-map-point',
    attribution: 'spothreat-geo-map-attribution',
  },
  timeline: {
    container: 'spothreat-timeline',
  },
  ingestChart: {
    container: 'spothreat-ingest-chart',
    total: (dataType: string) => `spothreat-ingest-total-${dataType}`,
  },
  suspiciousPage: {
    container: 'spothreat-page-suspicious',
    dataType: 'spothreat-page-suspicious-type',
    selection: 'spothreat-page-suspicious-selection',
  },
  investigationPage: {
    container: 'spothreat-page-investigation',
    anchor: 'spothreat-investigation-anchor',
    search: 'spothreat-investigation-search',
    peersByConnections: 'spothreat-investigation-peers-connections',
    peersByBytes: 'spothreat-investigation-peers-bytes',
    storyTitle: 'spothreat-investigation-story-title',
    storySummary: 'spothreat-investigation-story-summary',
    storySave: 'spothreat-investigation-story-save',
  },
  storyboardPage: {
    container: 'spothreat-page-storyboard',
    briefing: (storyboardId: string) => `spothreat-storyboard-${storyboardId}`,
    progression: 'spothreat-storyboard-progression',
    impact: 'spothreat-storyboard-impact',
    print: 'spothreat-storyboard-print',
  },
  ingestPage: {
    container: 'spothreat-page-ingest',
  },
  modelsPage: {
    container: 'spothreat-page-models',
    version: (versionId: string) => `spothreat-model-${versionId}`,
    job: (jobId: string) => `spothreat-model-job-${jobId}`,
  },
};
