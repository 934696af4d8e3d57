import type { Threat } from '../../api/types';
import { makeThreats } from '../../test/fixtures';
import { formatCount } from './columns';
import { autoencoderRatio, evidenceLabel, featureLabel, formatFigure, fusedRankOf, sortThreats } from './threatFigures';

const [base] = makeThreats(1);
const threat = (id: string, overrides: Partial<Threat>): Threat => ({ ...base, id, fused: undefined, autoencoder: undefined, ...overrides });
const ids = (threats: Threat[]) => threats.map((t) => t.id);

describe('fusedRankOf(threat)', () => {
  it('takes the fused rank, and the written rank for an event of an LDA-ranked run', () => {
    expect(fusedRankOf(threat('a', { rank: 9, fused: { score: 5, rank: 3, pValue: 1e-5, by: 'fisher', components: {} } }))).toBe(3);
    expect(fusedRankOf(threat('b', { rank: 9 }))).toBe(9);
  });
});

describe('sortThreats(threats, key)', () => {
  const fused = (rank: number, score: number) => ({ score, rank, pValue: Math.pow(10, -score), by: 'fisher', components: {} });
  const threats = [
    threat('lda-only', { rank: 2, score: 1e-9 }),
    threat('third', { rank: 30, score: 1e-3, fused: fused(3, 4) }),
    threat('first', { rank: 10, score: 1e-2, fused: fused(1, 9), autoencoder: { error: 2, threshold: 1, topFeatures: [] } }),
    threat('second', { rank: 20, score: 1e-6, fused: fused(2, 7), autoencoder: { error: 3, threshold: 1, topFeatures: [] } }),
  ];

  it('orders by fused rank, falling back to the written rank, a fused event first on a tie', () => {
    expect(ids(sortThreats(threats, 'rank'))).toEqual(['first', 'second', 'lda-only', 'third']);
  });

  it('puts the highest fused score first and events without one last', () => {
    expect(ids(sortThreats(threats, 'fused'))).toEqual(['first', 'second', 'third', 'lda-only']);
  });

  it("orders by Spot's LDA score, lowest first", () => {
    expect(ids(sortThreats(threats, 'lda'))).toEqual(['lda-only', 'second', 'third', 'first']);
  });

  it('puts the largest autoencoder error over threshold first and flows it did not score last', () => {
    expect(ids(sortThreats(threats, 'autoencoder'))).toEqual(['second', 'first', 'lda-only', 'third']);
  });

  it('leaves the input untouched', () => {
    const before = ids(threats);
    sortThreats(threats, 'fused');
    expect(ids(threats)).toEqual(before);
  });
});

describe('autoencoderRatio(threat)', () => {
  it('is the error as a multiple of the threshold, and undefined without a usable threshold', () => {
    expect(autoencoderRatio(threat('a', { autoencoder: { error: 1.2, threshold: 0.4, topFeatures: [] } }))).toBeCloseTo(3);
    expect(autoencoderRatio(threat('b', { autoencoder: { error: 1.2, threshold: 0, topFeatures: [] } }))).toBeUndefined();
    expect(autoencoderRatio(threat('c', {}))).toBeUndefined();
  });
});

describe('labels and figures', () => {
  it('names features and evidence keys in words', () => {
    expect(featureLabel('log_destination_bytes_per_packet')).toBe('destination bytes per packet');
    expect(evidenceLabel('meanIntervalSeconds')).toBe('mean interval seconds');
  });

  it('keeps integers whole and fractions short', () => {
    expect(formatFigure(28800)).toBe('28,800');
    expect(formatFigure(0.021345)).toBe('0.0213');
    expect(formatFigure(3e-7)).toBe('3.00e-7');
    expect(formatFigure(true)).toBe('true');
  });
});

describe('formatCount(value)', () => {
  it('drops the decimal from 100k on so a flow of both directions fits its cell', () => {
    expect(formatCount(9999)).toBe('9999');
    expect(formatCount(77_210)).toBe('77.2k');
    expect(formatCount(447_120)).toBe('447k');
    expect(formatCount(1_500_000)).toBe('1.5M');
    expect(formatCount(undefined)).toBe('-');
  });
});
