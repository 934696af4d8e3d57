import { appLink } from './demo';

describe('appLink', () => {
  it('opens the app on the span of the scored windows, in epoch milliseconds', () => {
    const link = appLink('http://127.0.0.1:3300', [
      { from: '2025-03-11T00:00:00.000Z', to: '2025-03-12T00:00:00.000Z' },
      { from: '2025-03-10T00:00:00.000Z', to: '2025-03-11T00:00:00.000Z' },
    ]);
    expect(link).toBe(`http://127.0.0.1:3300/?from=${Date.parse('2025-03-10T00:00:00Z')}&to=${Date.parse('2025-03-12T00:00:00Z')}`);
  });

  it('leaves the link alone when nothing was scored', () => {
    expect(appLink('http://127.0.0.1:3300', [])).toBe('http://127.0.0.1:3300');
  });
});
