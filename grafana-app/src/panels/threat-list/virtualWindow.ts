/** Top offset of every row plus the total height, for rows of a base height of which some are expanded. */
export function rowOffsets(count: number, rowHeight: number, expandedRows: ReadonlySet<number>, expandedExtra: number): Float64Array {
  const offsets = new Float64Array(count + 1);
  for (let i = 0; i < count; i++) {
    offsets[i + 1] = offsets[i] + rowHeight + (expandedRows.has(i) ? expandedExtra : 0);
  }
  return offsets;
}

/**
 * The rows to render for a scroll position: the first row whose bottom is below the top of the viewport through the
 * last row whose top is above its bottom, widened by `overscan` rows each side so fast scrolls do not flash blank.
 */
export function visibleRange(offsets: Float64Array, scrollTop: number, viewportHeight: number, overscan = 6): { start: number; end: number } {
  const count = offsets.length - 1;
  if (count <= 0) {
    return { start: 0, end: 0 };
  }
  const first = Math.max(0, firstAbove(offsets, scrollTop, false) - 1);
  const last = Math.min(count, firstAbove(offsets, scrollTop + viewportHeight, true));
  return { start: Math.max(0, first - overscan), end: Math.min(count, last + overscan) };
}

/** Index of the first offset above `value` (or at it, when `inclusive`), by binary search over the sorted offsets. */
function firstAbove(offsets: Float64Array, value: number, inclusive: boolean): number {
  let low = 0;
  let high = offsets.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (inclusive ? offsets[mid] < value : offsets[mid] <= value) {
      low = mid + 1;
    } else {
      high = mid;
    }
  }
  return low;
}
