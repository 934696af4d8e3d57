import { currentRunsClause, type CurrentRun } from './queries';

const hour = (h: number, id: string, completedAt: string): CurrentRun => ({
  id,
  window: { from: `2026-11-21T${String(h).padStart(2, '0')}:00:00.000Z`, to: `2026-11-21T${String(h + 1).padStart(2, '0')}:00:00.000Z` },
  completedAt,
});
const day = (id: string, completedAt: string): CurrentRun => ({ id, window: { from: '2026-11-21T00:00:00.000Z', to: '2026-11-22T00:00:00.000Z' }, completedAt });

describe('currentRunsClause', () => {
  it('is one terms clause when no windows overlap', () => {
    const runs = [hour(1, 'b', '2026-11-21T03:00:00Z'), hour(0, 'a', '2026-11-21T05:00:00Z'), hour(2, 'c', '2026-11-21T04:00:00Z')];
    expect(currentRunsClause(runs)).toEqual({ terms: { 'spothreat.run_id': ['a', 'b', 'c'] } });
  });

  it('hides the events of a day run inside an hour scored after it', () => {
    const clause = currentRunsClause([day('d', '2026-11-22T01:00:00Z'), hour(5, 'h', '2026-11-22T02:00:00Z'), hour(7, 'x', '2026-11-21T08:00:00Z')]);
    expect(clause).toEqual({
      bool: {
        should: [
          { terms: { 'spothreat.run_id': ['h'] } },
          {
            bool: {
              filter: [{ term: { 'spothreat.run_id': 'd' } }],
              must_not: [{ range: { '@timestamp': { gte: '2026-11-21T05:00:00.000Z', lt: '2026-11-21T06:00:00.000Z', format: 'strict_date_optional_time' } } }],
            },
          },
          // The hour scored before the day is hidden where the day covers it: everywhere.
          {
            bool: {
              filter: [{ term: { 'spothreat.run_id': 'x' } }],
              must_not: [{ range: { '@timestamp': { gte: '2026-11-21T00:00:00.000Z', lt: '2026-11-22T00:00:00.000Z', format: 'strict_date_optional_time' } } }],
            },
          },
        ],
        minimum_should_match: 1,
      },
    });
  });

  it('breaks a tie on completion time by run id, so exactly one run shows an event', () => {
    const clause = currentRunsClause([day('a', '2026-11-22T01:00:00Z'), hour(0, 'b', '2026-11-22T01:00:00Z')]) as { bool: { should: { bool?: { filter: unknown[] } }[] } };
    expect(clause.bool.should).toHaveLength(2);
    expect(clause.bool.should[0]).toEqual({ terms: { 'spothreat.run_id': ['b'] } });
    expect(clause.bool.should[1].bool?.filter).toEqual([{ term: { 'spothreat.run_id': 'a' } }]);
  });
});
