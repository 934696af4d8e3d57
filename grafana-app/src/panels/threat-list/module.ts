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
    .addSelect({
      path: 'sortBy',
      name: 'Sort by',
      description: 'The order the list opens in',
      defaultValue: 'rank',
      settings: {
        options: [
          { value: 'rank', label: 'Fused rank' },
          { value: 'fused', label: 'Fused score' },
          { value: 'lda', label: 'P(word|IP), Spot\'s LDA score' },
          { value: 'autoencoder', label: 'Autoencoder error' },
          { value: 'time', label: 'Time' },
        ],
      },
    })
    .addBooleanSwitch({ path: 'hideRated', name: 'Hide rated events', defaultValue: false })
    .addBooleanSwitch({ path: 'showToolbar', name: 'Show filter bar', defaultValue: true })
);
