import type { PanelProps } from '@grafana/data';
import React, { useMemo } from 'react';

import { framesToNetwork, networkToFrames } from '../../frames/graphFrames';
import { threatsToNetwork } from '../../frames/threatRows';
import { framesToThreats } from '../../frames/threatFrame';
import { investigate } from '../investigate';
import { NetworkGraph } from './NetworkGraph';

/** Reads Node Graph frames (nodes + edges), or builds the graph from Threat rows when that is what it gets. */
export function NetworkGraphPanel({ data, width, height }: PanelProps) {
  const network = useMemo(() => {
    const fromFrames = framesToNetwork(data.series);
    if (fromFrames.nodes.length > 0) {
      return fromFrames;
    }
    return framesToNetwork(networkToFrames(threatsToNetwork(framesToThreats(data.series))));
  }, [data.series]);
  return <NetworkGraph graph={network} width={width} height={height} onInvestigate={(node) => investigate(node.id, node.kind === 'domain' ? 'dns' : 'flow')} />;
}
