import { domainClassifierFor, parseTopDomainList, TopDomainClassifier } from './topDomains';
import { splitDomain } from './words/domainNames';

describe('parseTopDomainList(text)', () => {
  it('reads one domain per line (Tranco download layout)', () => {
    const list = parseTopDomainList('google.com\ngstatic.com\n\nfacebook.com\n');
    expect(list.entries).toBe(3);
    expect([...list.registeredDomains]).toEqual(['google.com', 'gstatic.com', 'facebook.com']);
    expect([...list.labels]).toEqual(['google', 'gstatic', 'facebook']);
  });

  it('reads rank,domain lines and skips a header and comments', () => {
    const list = parseTopDomainList('rank,domain\n# comment\n1,google.com\r\n2,mail.ru\n3,bbc.co.uk\n');
    expect([...list.registeredDomains]).toEqual(['google.com', 'mail.ru', 'bbc.co.uk']);
    expect(list.rejectedCount).toBe(0);
  });

  it('reduces list entries to their registrable domain with the public suffix list', () => {
    const list = parseTopDomainList('1,s3.amazonaws.com\n2,www.bbc.co.uk\n');
    expect([...list.registeredDomains]).toEqual(['amazonaws.com', 'bbc.co.uk']);
  });

  it('counts lines that name no domain as rejected, with line numbers and reasons', () => {
    const list = parseTopDomainList('1,google.com\n2,localhost\nx,y.com\n3,a.com,extra\n');
    expect(list.entries).toBe(1);
    expect(list.rejectedCount).toBe(3);
    expect(list.rejectedSamples).toEqual([
      { line: 2, text: '2,localhost', reason: 'not a registrable domain under the public suffix list' },
      { line: 3, text: 'x,y.com', reason: 'rank is not a number' },
      { line: 4, text: '3,a.com,extra', reason: 'expected "domain" or "rank,domain"' },
    ]);
  });
});

describe('TopDomainClassifier', () => {
  const list = parseTopDomainList('google.com\nintel.com\n');

  it('puts the user domain (2) before the popular list (1)', () => {
    const classifier = new TopDomainClassifier(list, { userDomains: ['intel'] });
    expect(classifier.classify('it.intel.com')).toBe(2);
    expect(classifier.classify('www.google.com')).toBe(1);
    expect(classifier.classify('evil.example')).toBe(0);
  });

  it('matches a dotted user domain by its registrable domain, under any subdomain', () => {
    const classifier = new TopDomainClassifier(list, { userDomains: ['corp.example.co.uk'] });
    expect(classifier.classify('hr.example.co.uk')).toBe(2);
    expect(classifier.classify('example.com')).toBe(0);
  });

  it('gives class 0 to IP literals and names under no known suffix', () => {
    const classifier = new TopDomainClassifier(list);
    expect(classifier.classify('192.0.2.1')).toBe(0);
    expect(classifier.classify('wpad')).toBe(0);
    expect(splitDomain('wpad').subdomain).toBe('wpad');
  });

  it('refuses a user domain that is not registrable', () => {
    expect(() => new TopDomainClassifier(list, { userDomains: ['co.uk'] })).toThrow('user domain "co.uk" is not a registrable domain');
  });
});

describe('domainClassifierFor(list, variant, userDomains)', () => {
  const list = parseTopDomainList('google.com\n');

  it('compares registrable domains for the seed and first labels for spot-code', () => {
    expect(domainClassifierFor(list, 'seed').classify('www.google.de')).toBe(0);
    expect(domainClassifierFor(list, 'spot-code').classify('www.google.de')).toBe(1);
    expect(domainClassifierFor(list, 'seed', ['intel']).classify('it.intel.com')).toBe(2);
  });
});
