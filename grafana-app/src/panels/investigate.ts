import { locationService } from '@grafana/runtime';

import type { DataType, Threat } from '../api/types';
import { prefixRoute, ROUTES } from '../constants';
import { anchorOf } from './threat-list/ThreatRow';

/** Opens the app's investigation page on an address, name or URL; every panel's "investigate" click lands here. */
export function investigate(anchor: string, dataType: DataType): void {
  locationService.push(`${prefixRoute(ROUTES.Investigation)}?anchor=${encodeURIComponent(anchor)}&type=${dataType}`);
}

export function investigateThreat(threat: Threat): void {
  investigate(anchorOf(threat), threat.dataType);
}
