import { rowOffsets, visibleRange } from './virtualWindow';

describe('rowOffsets(count, rowHeight, expanded, extra)', () => {
  it('stacks rows at the base height and adds the extra height under expanded rows', () => {
    const offsets = rowOffsets(4, 10, new Set([1]), 50);
    expect(Array.from(offsets)).toEqual([0, 10, 70, 80, 90]);
  });
});

describe('visibleRange(offsets, scrollTop, viewportHeight, overscan)', () => {
  const offsets = rowOffsets(10_000, 36, new Set(), 0);

  test.each([
    { scrollTop: 0, viewport: 360, overscan: 0, start: 0, end: 10 },
    { scrollTop: 36 * 5000, viewport: 360, overscan: 0, start: 5000, end: 5010 },
    { scrollTop: 36 * 5000 + 18, viewport: 360, overscan: 2, start: 4998, end: 5013 },
    { scrollTop: 36 * 9995, viewport: 720, overscan: 6, start: 9989, end: 10_000 },
  ])('renders rows $start to $end at scrollTop $scrollTop', ({ scrollTop, viewport, overscan, start, end }) => {
    expect(visibleRange(offsets, scrollTop, viewport, overscan)).toEqual({ start, end });
  });

  it('renders nothing for an empty list', () => {
    expect(visibleRange(rowOffsets(0, 36, new Set(), 0), 0, 400)).toEqual({ start: 0, end: 0 });
  });
});
