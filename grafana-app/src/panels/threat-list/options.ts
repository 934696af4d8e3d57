import type { DataType } from '../../api/types';

export interface ThreatListOptions {
  /** Column set; `auto` follows the data type most rows have. */
  dataType: DataType | 'auto';
  hideRated: boolean;
  showToolbar: boolean;
}
