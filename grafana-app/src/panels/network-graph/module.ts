import { PanelPlugin } from '@grafana/data';

import { NetworkGraphPanel } from './NetworkGraphPanel';

export const plugin = new PanelPlugin(NetworkGraphPanel);
