import type { DataType } from '../../api/types';
import type { ThreatSortKey } from './threatFigures';

export interface ThreatListOptions {
  /** Column set; `auto` follows the data type most rows have. */
  dataType: DataType | 'auto';
  hideRated: boolean;
  showToolbar: boolean;
  /** The order the list opens in; a click on a column header changes it for the viewer. */
  sortBy?: ThreatSortKey;
}
