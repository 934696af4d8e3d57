import { PanelPlugin } from '@grafana/data';

import type { ThreatListOptions } from './options';
import { ThreatListPanel } from './ThreatListPanel';

export const plugin = new PanelPlugin<ThreatListOptions>(ThreatListPanel).setPanelOptions((builder) =>
  builder
    .addRadio({
      path: 'dataType',
      name: 'Columns',
      description: 'Which data type the columns are laid out for',
      defaultValue: 'auto',
      settings: {
        options: [
          { value: 'auto', label: 'Auto' },
          { value: 'flow', label: 'Flow' },
          { value: 'dns', label: 'DNS' },
          { value: 'proxy', label: 'Proxy' },
        ],
      },
    })
    .addBooleanSwitch({ path: 'hideRated', name: 'Hide rated events', defaultValue: false })
    .addBooleanSwitch({ path: 'showToolbar', name: 'Show filter bar', defaultValue: true })
);
