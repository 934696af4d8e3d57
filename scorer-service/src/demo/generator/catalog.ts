/**
 * The world outside the simulated enterprise: who runs the servers it talks to and where, which names it looks up,
 * which browsers and agents it uses. Only public, well-known facts (provider address ranges, popular domains, real
 * user-agent strings); the country of each range is what a GeoLite2-style database places most of it in.
 */

export type ProviderKind = 'cloud' | 'cdn' | 'hosting' | 'isp';

export interface Provider {
  name: string;
  /** ISO 3166 alpha-2 country most of the ranges geolocate to; `anycast` for ranges a geo database cannot place. */
  country: string;
  kind: ProviderKind;
  ranges: readonly string[];
  /** Leading groups of an IPv6 prefix the provider answers AAAA queries from, when it serves IPv6. */
  ipv6Prefix?: string;
  /** Relative share of the world's popular sites this provider serves (content providers only). */
  contentShare?: number;
}

export const PROVIDERS: readonly Provider[] = [
  { name: 'google', country: 'US', kind: 'cloud', ranges: ['142.250.0.0/15'], ipv6Prefix: '2607:f8b0:4004:c1b', contentShare: 14 },
  { name: 'amazon-us-east', country: 'US', kind: 'cloud', ranges: ['3.208.0.0/12', '52.0.0.0/15'], contentShare: 16 },
  { name: 'amazon-cloudfront', country: 'US', kind: 'cdn', ranges: ['52.84.0.0/15', '18.64.0.0/14'], contentShare: 8 },
  { name: 'microsoft', country: 'US', kind: 'cloud', ranges: ['40.76.0.0/14', '13.107.0.0/16', '204.79.197.0/24'], ipv6Prefix: '2603:1030:20e:3', contentShare: 8 },
  { name: 'cloudflare', country: 'anycast', kind: 'cdn', ranges: ['104.16.0.0/14'], ipv6Prefix: '2606:4700:3030', contentShare: 16 },
  { name: 'akamai', country: 'US', kind: 'cdn', ranges: ['23.32.0.0/11'], contentShare: 6 },
  { name: 'fastly', country: 'US', kind: 'cdn', ranges: ['151.101.0.0/16'], ipv6Prefix: '2a04:4e42:400', contentShare: 5 },
  { name: 'apple', country: 'US', kind: 'cloud', ranges: ['17.253.0.0/16'], contentShare: 2 },
  { name: 'meta', country: 'US', kind: 'cloud', ranges: ['157.240.0.0/16', '69.171.224.0/19'], ipv6Prefix: '2a03:2880:f12f', contentShare: 3 },
  { name: 'github', country: 'US', kind: 'hosting', ranges: ['140.82.112.0/20', '185.199.108.0/22'], contentShare: 2 },
  { name: 'linode', country: 'US', kind: 'hosting', ranges: ['45.33.0.0/17'], contentShare: 2 },
  { name: 'hetzner', country: 'DE', kind: 'hosting', ranges: ['88.198.0.0/16', '5.9.0.0/16'], ipv6Prefix: '2a01:4f8:10a', contentShare: 4 },
  { name: 'ovh', country: 'FR', kind: 'hosting', ranges: ['54.36.0.0/16'], contentShare: 3 },
  { name: 'scaleway', country: 'FR', kind: 'hosting', ranges: ['62.210.0.0/16'], contentShare: 1 },
  { name: 'digitalocean-ams', country: 'NL', kind: 'hosting', ranges: ['188.166.0.0/17'], contentShare: 2 },
  { name: 'digitalocean-lon', country: 'GB', kind: 'hosting', ranges: ['178.62.0.0/17'], contentShare: 1 },
  { name: 'digitalocean-sgp', country: 'SG', kind: 'hosting', ranges: ['128.199.128.0/17'], contentShare: 1 },
  { name: 'yandex', country: 'RU', kind: 'cloud', ranges: ['77.88.0.0/18', '213.180.192.0/19'], contentShare: 1 },
  { name: 'chinatelecom-shanghai', country: 'CN', kind: 'isp', ranges: ['114.80.0.0/12'], contentShare: 1 },
  { name: 'sakura', country: 'JP', kind: 'hosting', ranges: ['49.212.0.0/16'], contentShare: 1 },
  { name: 'locaweb', country: 'BR', kind: 'hosting', ranges: ['186.202.0.0/16'], contentShare: 1 },
  { name: 'uol', country: 'BR', kind: 'hosting', ranges: ['200.147.0.0/16'], contentShare: 1 },
  // Access networks: the homes and phones of remote staff, web-site visitors and mail senders.
  { name: 'comcast', country: 'US', kind: 'isp', ranges: ['73.0.0.0/8', '24.0.0.0/12'] },
  { name: 'deutsche-telekom', country: 'DE', kind: 'isp', ranges: ['79.192.0.0/10'] },
  { name: 'orange', country: 'FR', kind: 'isp', ranges: ['90.0.0.0/9'] },
  { name: 'bt', country: 'GB', kind: 'isp', ranges: ['86.128.0.0/10'] },
  { name: 'rogers', country: 'CA', kind: 'isp', ranges: ['99.224.0.0/11'] },
  { name: 'telstra', country: 'AU', kind: 'isp', ranges: ['1.128.0.0/11'] },
  { name: 'kt', country: 'KR', kind: 'isp', ranges: ['211.48.0.0/13'] },
  { name: 'jio', country: 'IN', kind: 'isp', ranges: ['49.36.0.0/14', '157.32.0.0/12'] },
  { name: 'beeline', country: 'RU', kind: 'isp', ranges: ['95.24.0.0/13'] },
  { name: 'kyivstar', country: 'UA', kind: 'isp', ranges: ['46.211.0.0/16'] },
  { name: 'vnpt', country: 'VN', kind: 'isp', ranges: ['14.160.0.0/11'] },
  { name: 'turk-telekom', country: 'TR', kind: 'isp', ranges: ['78.160.0.0/11'] },
  { name: 'telkom-za', country: 'ZA', kind: 'isp', ranges: ['41.0.0.0/11', '105.0.0.0/12'] },
  { name: 'mtn-ng', country: 'NG', kind: 'isp', ranges: ['197.210.0.0/16'] },
  { name: 'claro-br', country: 'BR', kind: 'isp', ranges: ['177.64.0.0/13'] },
  { name: 'chinatelecom-jiangsu', country: 'CN', kind: 'isp', ranges: ['218.92.0.0/16', '222.186.0.0/16'] },
];

/** Public resolvers the internal resolvers forward cache misses to. */
export const PUBLIC_RESOLVERS: readonly string[] = ['8.8.8.8', '8.8.4.4', '1.1.1.1', '1.0.0.1', '9.9.9.9'];

/** Country-code top-level domains whose sites are mostly hosted at home, with the providers there. */
export const COUNTRY_HOSTING: Readonly<Record<string, readonly string[]>> = {
  de: ['hetzner'],
  fr: ['ovh', 'scaleway'],
  uk: ['digitalocean-lon'],
  nl: ['digitalocean-ams'],
  ru: ['yandex'],
  cn: ['chinatelecom-shanghai'],
  jp: ['sakura'],
  br: ['locaweb', 'uol'],
  sg: ['digitalocean-sgp'],
};

/**
 * Well-known registrable domains, roughly by popularity: what DNS and proxy traffic draws from when no
 * top-domain list file is at hand (the generator prefers a real Tranco-style list when one is given).
 */
export const BUILT_IN_TOP_DOMAINS: readonly string[] = [
  'google.com', 'youtube.com', 'facebook.com', 'microsoft.com', 'apple.com', 'amazon.com', 'wikipedia.org',
  'instagram.com', 'linkedin.com', 'windowsupdate.com', 'office.com', 'live.com', 'microsoftonline.com',
  'googleapis.com', 'gstatic.com', 'cloudflare.com', 'akamaized.net', 'amazonaws.com', 'azure.com', 'bing.com',
  'yahoo.com', 'twitter.com', 'x.com', 'whatsapp.net', 'netflix.com', 'zoom.us', 'github.com', 'githubusercontent.com',
  'reddit.com', 'doubleclick.net', 'googlevideo.com', 'icloud.com', 'skype.com', 'teams.microsoft.com', 'sharepoint.com',
  'office365.com', 'outlook.com', 'adobe.com', 'salesforce.com', 'slack.com', 'dropbox.com', 'atlassian.net',
  'stackoverflow.com', 'mozilla.org', 'firefox.com', 'digicert.com', 'letsencrypt.org', 'ubuntu.com', 'debian.org',
  'python.org', 'npmjs.org', 'docker.com', 'oracle.com', 'ibm.com', 'cisco.com', 'zendesk.com', 'hubspot.com',
  'paypal.com', 'ebay.com', 'booking.com', 'tripadvisor.com', 'cnn.com', 'nytimes.com', 'bbc.co.uk', 'theguardian.com',
  'reuters.com', 'bloomberg.com', 'wsj.com', 'forbes.com', 'medium.com', 'wordpress.com', 'tumblr.com', 'pinterest.com',
  'spotify.com', 'twitch.tv', 'tiktok.com', 'bytedance.com', 'baidu.com', 'qq.com', 'taobao.com', 'alibaba.com',
  'yandex.ru', 'mail.ru', 'vk.com', 'spiegel.de', 'zeit.de', 'heise.de', 'lemonde.fr', 'leboncoin.fr', 'orange.fr',
  'bol.com', 'nu.nl', 'globo.com', 'uol.com.br', 'mercadolibre.com', 'naver.com', 'yahoo.co.jp', 'rakuten.co.jp',
  'nikkei.com', 'flipkart.com', 'timesofindia.com', 'abc.net.au', 'cbc.ca', 'gov.uk', 'europa.eu', 'un.org',
  'w3.org', 'ietf.org', 'apache.org', 'opensearch.org', 'grafana.com', 'elastic.co', 'splunk.com', 'okta.com',
  'duosecurity.com', 'crowdstrike.com', 'sentinelone.net', 'trendmicro.com', 'eset.com', 'kaspersky.com', 'symantec.com',
  'mcafee.com', 'sophos.com', 'fortinet.com', 'paloaltonetworks.com', 'zscaler.net', 'webex.com', 'gotomeeting.com',
  'slideshare.net', 'imdb.com', 'weather.com', 'accuweather.com', 'espn.com', 'nba.com', 'fifa.com', 'ikea.com',
  'walmart.com', 'target.com', 'bestbuy.com', 'aliexpress.com', 'etsy.com', 'shopify.com', 'stripe.com', 'visa.com',
  'mastercard.com', 'hsbc.com', 'chase.com', 'ups.com', 'fedex.com', 'dhl.com', 'maersk.com', 'sap.com', 'workday.com',
  'servicenow.com', 'jetbrains.com', 'visualstudio.com', 'vscode-cdn.net', 'unity3d.com', 'nvidia.com', 'intel.com',
  'amd.com', 'dell.com', 'hp.com', 'lenovo.com', 'samsung.com', 'sony.com', 'canon.com', 'xerox.com',
];

/** Sub-domain prefixes a query for a popular site commonly carries. */
export const SITE_PREFIXES: readonly string[] = ['www', 'www', 'www', 'api', 'cdn', 'static', 'img', 'login', 'app', 'm', 'assets', 'media', 'auth'];

export interface UserAgentFamily {
  os: 'windows' | 'macos' | 'linux';
  agents: readonly string[];
}

/** Browser user agents by operating system (real strings of current releases). */
export const BROWSER_AGENTS: readonly UserAgentFamily[] = [
  {
    os: 'windows',
    agents: [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.80',
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0',
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36',
    ],
  },
  {
    os: 'macos',
    agents: [
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15',
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
    ],
  },
  {
    os: 'linux',
    agents: [
      'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
    ],
  },
];

/** Agents of software rather than people, by operating system: updates, office suites, chat, certificate checks. */
export const SOFTWARE_AGENTS: Readonly<Record<'windows' | 'macos' | 'linux', readonly string[]>> = {
  windows: [
    'Microsoft-Delivery-Optimization/10.0',
    'Windows-Update-Agent/10.0.10011.16384 Client-Protocol/2.71',
    'Microsoft-CryptoAPI/10.0',
    'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17531; Pro)',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Teams/24102.2223.2870.9480 Chrome/120.0.6099.291 Electron/28.2.10 Safari/537.36',
  ],
  macos: ['com.apple.trustd/3.0', 'softwareupdated (unknown version) CFNetwork/1494.0.7 Darwin/23.4.0', 'Slack/4.38.125 (Macintosh; Intel Mac OS X 14_4_1)'],
  linux: ['Debian APT-HTTP/1.3 (2.6.1)', 'curl/7.88.1', 'python-requests/2.31.0', 'Wget/1.21.3', 'Go-http-client/1.1'],
};

export interface ContentType {
  mime: string;
  /** Path endings that serve it. */
  extensions: readonly string[];
  /** Median response size in bytes and the spread of its logarithm. */
  medianBytes: number;
  sigma: number;
  share: number;
}

/** What a page load fetches after its HTML, roughly in the proportions of the HTTP Archive's page weights. */
export const ASSET_TYPES: readonly ContentType[] = [
  { mime: 'application/javascript', extensions: ['.js'], medianBytes: 45000, sigma: 1.1, share: 22 },
  { mime: 'text/css', extensions: ['.css'], medianBytes: 14000, sigma: 1.0, share: 10 },
  { mime: 'image/png', extensions: ['.png'], medianBytes: 9000, sigma: 1.4, share: 14 },
  { mime: 'image/jpeg', extensions: ['.jpg'], medianBytes: 38000, sigma: 1.2, share: 14 },
  { mime: 'image/webp', extensions: ['.webp'], medianBytes: 22000, sigma: 1.2, share: 8 },
  { mime: 'image/svg+xml', extensions: ['.svg'], medianBytes: 3000, sigma: 1.0, share: 6 },
  { mime: 'font/woff2', extensions: ['.woff2'], medianBytes: 28000, sigma: 0.6, share: 4 },
  { mime: 'application/json', extensions: ['', '.json'], medianBytes: 2500, sigma: 1.5, share: 18 },
  { mime: 'image/gif', extensions: ['.gif'], medianBytes: 60, sigma: 0.3, share: 4 },
];

/** Words for paths, search terms and asset names. */
export const PATH_WORDS: readonly string[] = [
  'news', 'article', 'products', 'search', 'account', 'login', 'home', 'about', 'blog', 'docs', 'support', 'pricing',
  'en-us', 'en', 'world', 'business', 'tech', 'sport', 'video', 'images', 'static', 'assets', 'media', 'content',
  'api', 'v1', 'v2', 'user', 'profile', 'settings', 'cart', 'checkout', 'help', 'download', 'release', 'notes',
  'events', 'careers', 'contact', 'weather', 'markets', 'review', 'guide', 'report', 'update', 'security', 'cloud',
];

/** Top TCP ports of nmap's frequency table, the first ports a scan tries. */
export const SCAN_PORTS: readonly number[] = [
  80, 23, 443, 21, 22, 25, 3389, 110, 445, 139, 143, 53, 135, 3306, 8080, 1723, 111, 995, 993, 5900, 1025, 587, 8888,
  199, 1720, 465, 548, 113, 81, 6001, 10000, 514, 5060, 179, 1026, 2000, 8443, 8000, 32768, 554, 26, 1433, 49152, 2001,
  515, 8008, 49154, 1027, 5666, 646, 5000, 5631, 631, 49153, 8081, 2049, 88, 79, 5800, 106, 2121, 1110, 49155, 6000,
  513, 990, 5357, 427, 49156, 543, 544, 5101, 144, 7, 389, 8009, 3128, 444, 9999, 5009, 7070, 5190, 3000, 5432, 1900,
  3986, 13, 1029, 9, 5051, 6646, 49157, 1028, 873, 1755, 2717, 4899, 9100, 119, 37,
];

/** nmap's default scan tries its 1,000 most frequent TCP ports. */
export const DEFAULT_SCAN_PORT_COUNT = 1000;

/**
 * The first `count` ports a default scan tries: the frequency table above, then the remaining well-known ports
 * and the registered ones in ascending order. nmap's real list beyond its top 100 is mostly well-known ports with a
 * tail of registered ones, so this has the shape that matters to a detector (hundreds of distinct ports, nearly all
 * closed) without copying the table.
 */
export function scanPorts(count: number): number[] {
  if (!Number.isInteger(count) || count < 1 || count > 65535) throw new RangeError(`a scan tries 1 to 65535 ports, got ${count}`);
  const ports = SCAN_PORTS.slice(0, count);
  const chosen = new Set(ports);
  for (let port = 1; ports.length < count; port++) if (!chosen.has(port)) ports.push(port);
  return ports;
}

/** Hosts pages pull scripts, fonts, tags and media from besides their own: each one more DNS lookup. */
export const THIRD_PARTY_HOSTS: readonly string[] = [
  'www.googletagmanager.com', 'www.google-analytics.com', 'fonts.googleapis.com', 'fonts.gstatic.com', 'ajax.googleapis.com',
  'cdn.jsdelivr.net', 'cdnjs.cloudflare.com', 'connect.facebook.net', 'static.doubleclick.net', 'securepubads.g.doubleclick.net',
  'js.hs-scripts.com', 'cdn.segment.com', 'browser.sentry-cdn.com', 'use.typekit.net', 'i.ytimg.com', 'platform.twitter.com',
  'snap.licdn.com', 'bat.bing.com', 'static.cloudflareinsights.com', 'cdn.cookielaw.org', 'www.gstatic.com', 's.yimg.com',
];
