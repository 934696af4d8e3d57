import type { PanelProps } from '@grafana/data';
import React, { useMemo } from 'react';

import { framesToGeoPoints } from '../../frames/geoFrame';
import { threatsToGeoPoints } from '../../frames/threatRows';
import { framesToThreats } from '../../frames/threatFrame';
import { investigate } from '../investigate';
import { GeoMap } from './GeoMap';

/** Reads Geomap-shaped frames (lat/lon fields), or locates the endpoints of Threat rows. */
export function GeoMapPanel({ data, width, height }: PanelProps) {
  const points = useMemo(() => {
    const located = framesToGeoPoints(data.series);
    return located.length > 0 ? located : threatsToGeoPoints(framesToThreats(data.series));
  }, [data.series]);
  return <GeoMap points={points} width={width} height={height} onInvestigate={(point) => investigate(point.ip, 'flow')} />;
}
