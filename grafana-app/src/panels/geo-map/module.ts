import { PanelPlugin } from '@grafana/data';

import { GeoMapPanel } from './GeoMapPanel';

export const plugin = new PanelPlugin(GeoMapPanel);
