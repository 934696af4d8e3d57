import { PanelPlugin } from '@grafana/data';

import { TimelinePanel } from './TimelinePanel';

export const plugin = new PanelPlugin(TimelinePanel);
