import { anchorFor } from './anchorFor';

describe('anchorFor(dataType, text)', () => {
  test.each([
    { dataType: 'flow', text: ' 10.0.0.5 ', anchor: { ip: '10.0.0.5' } },
    { dataType: 'dns', text: '2001:db8::1', anchor: { ip: '2001:db8::1' } },
    { dataType: 'dns', text: 'evil.example.test', anchor: { domain: 'evil.example.test' } },
    { dataType: 'proxy', text: 'http://cdn.example.test/a?b=1', anchor: { uri: 'http://cdn.example.test/a?b=1' } },
    { dataType: 'proxy', text: 'cdn.example.test', anchor: { domain: 'cdn.example.test' } },
    { dataType: 'flow', text: '   ', anchor: undefined },
  ] as const)('reads "$text" for $dataType as $anchor', ({ dataType, text, anchor }) => {
    expect(anchorFor(dataType, text)).toEqual(anchor);
  });
});
