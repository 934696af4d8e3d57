import { BottomKSample, hashKey } from './referenceSample';

describe('the bottom-k reference sample of a window', () => {
  const keys = Array.from({ length: 500 }, (_v, i) => `event-${i}`);

  it('keeps the same events whatever order they arrive in', () => {
    const forward = new BottomKSample<string>(50);
    const backward = new BottomKSample<string>(50);
    for (const key of keys) forward.offer(key, () => key);
    for (const key of [...keys].reverse()) backward.offer(key, () => key);
    expect(forward.values()).toEqual(backward.values());
    expect(forward.size).toBe(50);
    expect(forward.offeredCount).toBe(500);
  });

  it('keeps the events whose keys hash lowest, in hash order', () => {
    const sample = new BottomKSample<string>(10);
    for (const key of keys) sample.offer(key, () => key);
    const expected = [...keys].sort((a, b) => hashKey(a) - hashKey(b) || (a < b ? -1 : 1)).slice(0, 10);
    expect(sample.values()).toEqual(expected);
  });

  it('builds an item only for events it keeps', () => {
    const sample = new BottomKSample<number>(5);
    let built = 0;
    for (const key of keys) sample.offer(key, () => ++built);
    expect(built).toBeLessThan(100);
  });

  it('holds every event of a window smaller than its capacity', () => {
    const sample = new BottomKSample<string>(1000);
    for (const key of keys) sample.offer(key, () => key);
    expect(sample.values().sort()).toEqual([...keys].sort());
  });

  it('refuses a capacity below 1', () => {
    expect(() => new BottomKSample(0)).toThrow('a sample needs a capacity >= 1, got 0');
  });
});
