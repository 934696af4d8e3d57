import { PanelPlugin } from '@grafana/data';

import { IngestSummaryPanel } from './IngestSummaryPanel';

export const plugin = new PanelPlugin(IngestSummaryPanel);
