export const PLUGIN_ID = 'spothreat-app';

/** Where Grafana serves the app's pages. */
export const PLUGIN_BASE_URL = `/a/${PLUGIN_ID}`;

/** The plugin route (plugin.json `routes[].path`) that Grafana's data proxy forwards to the scorer service. */
export const SCORER_ROUTE = 'scorer';

export enum ROUTES {
  Suspicious = 'suspicious',
  Investigation = 'investigation',
  Storyboard = 'storyboard',
  IngestSummary = 'ingest-summary',
  Models = 'models',
}

export const PAGE_TITLES: Record<ROUTES, string> = {
  [ROUTES.Suspicious]: 'Suspicious',
  [ROUTES.Investigation]: 'Threat investigation',
  [ROUTES.Storyboard]: 'Storyboard',
  [ROUTES.IngestSummary]: 'Ingest summary',
  [ROUTES.Models]: 'Models',
};

export function prefixRoute(route: ROUTES): string {
  return `${PLUGIN_BASE_URL}/${route}`;
}
