import { RadioButtonGroup } from '@grafana/ui';
import React from 'react';

import type { DataType } from '../api/types';

const OPTIONS: Array<{ label: string; value: DataType }> = [
  { label: 'Flow', value: 'flow' },
  { label: 'DNS', value: 'dns' },
  { label: 'Proxy', value: 'proxy' },
];

export function DataTypePicker({ value, onChange, testId }: { value: DataType; onChange: (type: DataType) => void; testId?: string }) {
  return (
    <div data-testid={testId}>
      <RadioButtonGroup options={OPTIONS} value={value} onChange={onChange} />
    </div>
  );
}
