import { NodeGraphDataFrameFieldNames as F } from '@grafana/data';

import { makeThreats } from '../test/fixtures';
import { framesToNetwork, networkToFrames } from './graphFrames';
import { edgeThickness, threatsToNetwork } from './threatRows';

describe('threatsToNetwork(threats)', () => {
  it('makes one node per address and one edge per pair, counting events and keeping the lowest score', () => {
    const [a, b] = makeThreats(2);
    const network = threatsToNetwork([a, { ...b, srcIp: a.srcIp, dstIp: a.dstIp, score: 1e-9 }]);
    expect(network.nodes.map((n) => n.id).sort()).toEqual([a.srcIp, a.dstIp].sort());
    expect(network.edges).toHaveLength(1);
    expect(network.edges[0]).toMatchObject({ source: a.srcIp, target: a.dstIp, mainstat: 2, secondarystat: 1e-9, color: 'red' });
  });

  it('links DNS clients to the names they asked for, drawn as domains', () => {
    const [threat] = makeThreats(1, { dataType: 'dns' });
    const network = threatsToNetwork([threat]);
    expect(network.nodes.find((n) => n.id === threat.dnsQuery)?.detail__kind).toBe('domain');
  });
});

describe('networkToFrames(network) and framesToNetwork(frames)', () => {
  it('uses the Node Graph field names and reads them back unchanged', () => {
    const network = threatsToNetwork(makeThreats(50));
    const [nodes, edges] = networkToFrames(network);
    expect(nodes.fields.map((f) => f.name)).toEqual(expect.arrayContaining([F.id, F.title, F.subTitle, F.mainStat, F.secondaryStat, `${F.arc}unrated`]));
    expect(edges.fields.map((f) => f.name)).toEqual(expect.arrayContaining([F.id, F.source, F.target, F.mainStat, F.thickness]));
    expect(nodes.meta?.preferredVisualisationType).toBe('nodeGraph');

    const read = framesToNetwork([edges, nodes]);
    expect(read.nodes).toHaveLength(network.nodes.length);
    expect(read.edges).toHaveLength(network.edges.length);
    expect(read.nodes.filter((n) => n.kind === 'internal').length).toBe(network.nodes.filter((n) => n.detail__kind === 'internal').length);
  });

  it('derives the nodes from an edges frame alone', () => {
    const [, edges] = networkToFrames(threatsToNetwork(makeThreats(3)));
    expect(framesToNetwork([edges]).nodes.length).toBeGreaterThan(0);
  });
});

describe('edgeThickness(minScore)', () => {
  it('grows as the score gets more unusual and stays within [1, 10]', () => {
    expect(edgeThickness(1)).toBe(1);
    expect(edgeThickness(1e-6)).toBeGreaterThan(edgeThickness(1e-2));
    expect(edgeThickness(0)).toBeLessThanOrEqual(10);
  });
});
