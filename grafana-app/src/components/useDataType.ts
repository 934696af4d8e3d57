import { locationService } from '@grafana/runtime';
import { useCallback } from 'react';

import type { DataType } from '../api/types';
import { useLocationSearch } from './useLocationSearch';

/** The data type the page shows, kept in the URL (`type`) so a link opens the same view. */
export function useDataType(): [DataType, (type: DataType) => void] {
  const value = useLocationSearch().get('type');
  const dataType: DataType = value === 'dns' || value === 'proxy' ? value : 'flow';
  const setDataType = useCallback((type: DataType) => locationService.partial({ type }, true), []);
  return [dataType, setDataType];
}
