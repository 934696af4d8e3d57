import { css } from '@emotion/css';
import { type AppRootProps, dateTime, type GrafanaTheme2 } from '@grafana/data';
import { locationService } from '@grafana/runtime';
import { LoadingPlaceholder, Tab, TabsBar, TimeRangePicker, useStyles2 } from '@grafana/ui';
import React, { lazy, Suspense } from 'react';

import { PAGE_TITLES, PLUGIN_BASE_URL, prefixRoute, ROUTES } from '../../constants';
import { testIds } from '../testIds';
import { useLocationPath } from '../useLocationSearch';
import { useTimeWindow } from '../useTimeWindow';

// Each page is its own chunk: opening the app downloads the page in view, not all five.
const PAGES: Record<ROUTES, React.LazyExoticComponent<React.ComponentType>> = {
  [ROUTES.Suspicious]: lazy(() => import('../../pages/Suspicious/SuspiciousPage')),
  [ROUTES.Investigation]: lazy(() => import('../../pages/Investigation/InvestigationPage')),
  [ROUTES.Storyboard]: lazy(() => import('../../pages/Storyboard/StoryboardPage')),
  [ROUTES.IngestSummary]: lazy(() => import('../../pages/IngestSummary/IngestSummaryPage')),
  [ROUTES.Models]: lazy(() => import('../../pages/Models/ModelsPage')),
};

/** The page a path under the app's base URL names; the suspicious list when it names none. */
export function routeOf(path: string): ROUTES {
  const segment = path.startsWith(PLUGIN_BASE_URL) ? path.slice(PLUGIN_BASE_URL.length).split('/')[1] : undefined;
  return (Object.values(ROUTES) as string[]).includes(segment ?? '') ? (segment as ROUTES) : ROUTES.Suspicious;
}

export default function App(_props: AppRootProps) {
  const styles = useStyles2(getStyles);
  const route = routeOf(useLocationPath());
  const { range, setRange } = useTimeWindow();
  const Page = PAGES[route];
  const go = (next: ROUTES) => locationService.push(`${prefixRoute(next)}${locationService.getLocation().search}`);
  const shift = (direction: -1 | 1) => {
    const span = range.to.valueOf() - range.from.valueOf();
    const from = dateTime(range.from.valueOf() + direction * span);
    const to = dateTime(range.to.valueOf() + direction * span);
    setRange({ from, to, raw: { from: String(from.valueOf()), to: String(to.valueOf()) } });
  };

  return (
    <div className={styles.app} data-testid={testIds.app.container}>
      <div className={styles.bar}>
        <TabsBar className={styles.tabs}>
          {Object.values(ROUTES).map((page) => (
            <Tab key={page} label={PAGE_TITLES[page]} active={page === route} onChangeTab={() => go(page)} data-testid={testIds.app.tab(page)} />
          ))}
        </TabsBar>
        {route !== ROUTES.Models && (
          <TimeRangePicker
            value={range}
            onChange={setRange}
            timeZone="utc"
            onChangeTimeZone={() => {}}
            onMoveBackward={() => shift(-1)}
            onMoveForward={() => shift(1)}
            onZoom={() => {}}
          />
        )}
      </div>
      <Suspense fallback={<LoadingPlaceholder text="Loading..." />}>
        <Page />
      </Suspense>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  app: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(2) }),
  bar: css({
    display: 'flex',
    alignItems: 'flex-end',
    justifyContent: 'space-between',
    gap: theme.spacing(2),
    '@media print': { display: 'none' },
  }),
  tabs: css({ flexGrow: 1 }),
});
