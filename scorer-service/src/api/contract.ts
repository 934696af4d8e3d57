/**
 * The HTTP API's contract: one zod schema per request and response, and the TypeScript types inferred from them.
 * The server validates every input with these schemas; the Grafana app codes against the inferred types.
 * docs/api.md describes the same routes for people. Changes only ever ADD fields, so older clients keep working.
 */
import { z } from 'zod';

// ---------------------------------------------------------------------------------------------------------------
// Shared building blocks
// ---------------------------------------------------------------------------------------------------------------

export const dataTypeSchema = z.enum(['flow', 'dns', 'proxy']);
export type ApiDataType = z.infer<typeof dataTypeSchema>;

/**
 * A point in time as a query value: an ISO-8601 string (`2026-11-21T00:00:00Z`) or epoch milliseconds
 * (what Grafana's time picker gives, `1763683200000`). Always normalised to an ISO string.
 */
export const instantSchema = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const asNumber = typeof value === 'number' ? value : /^\d{10,}$/.test(value) ? Number(value) : NaN;
  const date = Number.isFinite(asNumber) ? new Date(asNumber) : new Date(String(value));
  if (Number.isNaN(date.getTime()) || (typeof value === 'string' && value.trim() === '')) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is neither an ISO-8601 time nor epoch milliseconds` });
    return z.NEVER;
  }
  return date.toISOString();
});

/** A half-open time range [from, to). `from` must be before `to`. */
export const timeRangeQuerySchema = z
  .object({ from: instantSchema, to: instantSchema })
  .refine((range) => range.from < range.to, { message: '"from" must be before "to"', path: ['from'] });

export const timeWindowSchema = z.object({ from: z.string(), to: z.string() });
export type TimeWindow = z.infer<typeof timeWindowSchema>;

const ipv4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
/** IPv4 or IPv6 address (IPv6 checked loosely: hex groups and colons, optional embedded IPv4). */
export const ipSchema = z
  .string()
  .trim()
  .refine((value) => ipv4.test(value) || (/^[0-9a-fA-F:.]+$/.test(value) && value.includes(':')), {
    message: 'must be an IPv4 or IPv6 address',
  });

export const portSchema = z.coerce.number().int().min(0).max(65535);

/** Booleans in a query string arrive as text. */
const queryBoolean = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');

/** Analyst severities as a comma-separated query value (`severity=1,2`). */
const severityListSchema = z
  .string()
  .transform((value) => value.split(',').map((part) => part.trim()).filter((part) => part !== '').map(Number))
  .pipe(z.array(z.union([z.literal(1), z.literal(2), z.literal(3)])).min(1));

export const pagingQuerySchema = z.object({
  /** 1-based page number. */
  page: z.coerce.number().int().min(1).default(1),
  /** Rows per page, at most 500. */
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});

export function pageOf<T extends z.ZodTypeAny>(item: T) {
  return z.object({
    items: z.array(item),
    /** Rows matching the filters, all pages together. */
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
  });
}

/** Analyst severity, Spot's scale: 1 = high, 2 = medium, 3 = low / benign (feeds retraining). */
export const ratingSchema = z.union([z.literal(1), z.literal(2), z.literal(3)]);
export type Rating = z.infer<typeof ratingSchema>;

/** Every 4xx/5xx body. `details` lists each invalid field when validation failed. */
export const errorResponseSchema = z.object({
  statusCode: z.number().int(),
  error: z.string(),
  message: z.string(),
  details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type ErrorResponse = z.infer<typeof errorResponseSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Enrichment as the API shows it
// ---------------------------------------------------------------------------------------------------------------

/** Reputation levels, Spot's normalisation: -1 unknown, 0 none, 1 low, 2 medium, 3 high. */
export const reputationLevelSchema = z.number().int().min(-1).max(3);

export const reputationHitSchema = z.object({
  /** Provider name, e.g. `blocklist`. */
  provider: z.string(),
  /** The value that was looked up (an IP, a domain, a URL). */
  indicator: z.string(),
  level: reputationLevelSchema,
  /** Provider's own label, e.g. `MALICIOUS`, `listed`. */
  label: z.string(),
  categories: z.array(z.string()).optional(),
});
export type ReputationHit = z.infer<typeof reputationHitSchema>;

export const reputationSchema = z.object({
  /** Highest level over every provider and indicator (never the last provider's answer). */
  level: reputationLevelSchema,
  hits: z.array(reputationHitSchema),
});
export type Reputation = z.infer<typeof reputationSchema>;

export const geoSchema = z.object({
  countryCode: z.string().optional(),
  country: z.string().optional(),
  city: z.string().optional(),
  lat: z.number().optional(),
  lon: z.number().optional(),
  /** Autonomous system announcing the address (ECS `*.as.number`), from the packaged ASN table. */
  asn: z.number().int().optional(),
  /** Its organisation (ECS `*.as.organization.name`). */
  asOrg: z.string().optional(),
});
export type Geo = z.infer<typeof geoSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Threats (suspicious events)
// ---------------------------------------------------------------------------------------------------------------

/**
 * One suspicious event, flat so it drops straight into a Grafana table frame and a CSV line.
 * Fields that do not apply to the data type are absent (flow has no dnsQuery; DNS has no bytes).
 */
export const threatSchema = z.object({
  /** Deterministic id of the suspicious document (stable across re-scoring of the same window). */
  id: z.string(),
  dataType: dataTypeSchema,
  /** Event time, ISO-8601 UTC. */
  timestamp: z.string(),
  /** The scoring window the event was ranked in. */
  windowFrom: z.string(),
  windowTo: z.string(),
  /** 1-based position in the window's ranking (1 = most suspicious). */
  rank: z.number().int(),
  /** Model score in [0, 1]; lower is more unusual (P(word | IP) for LDA). */
  score: z.number(),
  /** Registry version of the model that produced the score. */
  modelVersion: z.number().int(),
  /** `lda`, `autoencoder` or `ensemble`. */
  model: z.string(),

  srcIp: z.string(),
  srcPort: z.number().int().optional(),
  srcInternal: z.boolean().optional(),
  /** Network-context name for internal hosts and networks (user CSV). */
  srcContext: z.string().optional(),
  srcGeo: geoSchema.optional(),
  dstIp: z.string().optional(),
  dstPort: z.number().int().optional(),
  dstInternal: z.boolean().optional(),
  dstContext: z.string().optional(),
  dstGeo: geoSchema.optional(),

  /** Flow: transport (`tcp`, `udp`, `icmp`). */
  protocol: z.string().optional(),
  srcBytes: z.number().optional(),
  dstBytes: z.number().optional(),
  srcPackets: z.number().optional(),
  dstPackets: z.number().optional(),
  /** Event duration in milliseconds. */
  durationMs: z.number().optional(),

  /** DNS: the query name. */
  dnsQuery: z.string().optional(),
  dnsQtype: z.number().int().optional(),
  dnsQtypeName: z.string().optional(),
  dnsRcode: z.number().int().optional(),
  dnsRcodeName: z.string().optional(),

  /** Proxy: the requested URL as logged (absolute for Squid, the path alone for Zeek http.log). */
  url: z.string().optional(),
  /** Proxy: the host the request went to (`url.domain`), known even when the logged URL is a path. */
  host: z.string().optional(),
  httpMethod: z.string().optional(),
  httpStatus: z.number().int().optional(),
  httpStatusName: z.string().optional(),
  referrer: z.string().optional(),
  userAgent: z.string().optional(),
  mimeType: z.string().optional(),

  /** DNS query domain or proxy host: the registrable domain (`example.co.uk`) and its public suffix (`co.uk`). */
  domain: z.string().optional(),
  tld: z.string().optional(),

  reputation: reputationSchema.optional(),
  /** The model's words for this event (flow: source-side and destination-side words). */
  words: z.array(z.string()),
  /** Why the event ranks where it does, in one or two sentences. */
  explanation: z.string(),
  /** Heuristic tags (e.g. `dga`, `dns-tunnel`, `port-scan`); filterable with `tag=`. */
  heuristics: z.array(z.string()),
  /** Each heuristic hit with what it is about, its strength (1 = just past its thresholds) and its figures. */
  heuristicHits: z
    .array(
      z.object({
        heuristic: z.string(),
        subject: z.string(),
        reason: z.string(),
        strength: z.number(),
        evidence: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
      }),
    )
    .optional(),
  /**
   * The fused ranking (docs/evaluation.md): `score` is -log10 of the fused p-value (higher = more suspicious, 3 =
   * one in a thousand), `rank` the position in the window's fused ranking, `components` each component's -log10 p.
   */
  fused: z
    .object({ score: z.number(), rank: z.number().int(), pValue: z.number(), by: z.string(), components: z.record(z.string(), z.number()) })
    .optional(),
  /** P(word | IP) x ln(D / df): how typical the word is of the IP and how rare in the network. */
  concentration: z.number().optional(),
  /** Flows: the window autoencoder's reconstruction error, its threshold and the features that contributed most. */
  autoencoder: z
    .object({
      error: z.number(),
      threshold: z.number(),
      topFeatures: z.array(z.object({ feature: z.string(), share: z.number(), value: z.number(), expected: z.number() })),
    })
    .optional(),

  /** The analyst's latest rating of this event, if any. */
  rating: ratingSchema.optional(),
  ratedBy: z.string().optional(),
  ratedAt: z.string().optional(),

  /** Where the raw event lives, for drill-down. */
  rawIndex: z.string(),
  rawId: z.string(),
});
export type Threat = z.infer<typeof threatSchema>;

/**
 * `rank` (default) is each window's ranking: the fused one unless the scorer runs with Spot's (`SPOTHREAT_RANKING=lda`).
 * `fused` orders every window's events together by fused score (a p-value, comparable across windows).
 */
export const threatSortSchema = z.enum(['rank', 'fused', 'score', '-score', 'timestamp', '-timestamp']);

/** GET /api/v1/threats */
export const threatsQuerySchema = z
  .object({
    type: dataTypeSchema,
    from: instantSchema,
    to: instantSchema,
    /** Matches the source or destination IP. */
    ip: ipSchema.optional(),
    /** Matches the source or destination port. */
    port: portSchema.optional(),
    /** Substring of the DNS query name, proxy URL or domain (case-insensitive). */
    domain: z.string().trim().min(1).max(253).optional(),
    minScore: z.coerce.number().min(0).max(1).optional(),
    maxScore: z.coerce.number().min(0).max(1).optional(),
    /** Analyst severities to keep, comma-separated (`1,2`). */
    severity: severityListSchema.optional(),
    /** true: only rated events; false: only unrated ones (Spot hid rated events from the work list). */
    rated: queryBoolean.optional(),
    /** Keep events carrying this heuristic tag. */
    tag: z.string().trim().min(1).max(64).optional(),
    /** Keep events whose reputation level is at least this. */
    minReputation: z.coerce.number().int().min(-1).max(3).optional(),
    sort: threatSortSchema.default('rank'),
    /** Include events an allowlist entry suppresses (normally hidden). */
    includeSuppressed: queryBoolean.default(false),
  })
  .extend(pagingQuerySchema.shape)
  .refine((query) => query.from < query.to, { message: '"from" must be before "to"', path: ['from'] });
export type ThreatsQuery = z.infer<typeof threatsQuerySchema>;

export const threatsResponseSchema = pageOf(threatSchema).extend({
  /** How many matching events allowlist entries hid (0 when includeSuppressed=true). */
  suppressed: z.number().int(),
});
export type ThreatsResponse = z.infer<typeof threatsResponseSchema>;

/** GET /api/v1/threats/export: the same filters, no paging; `limit` rows at most (default 10000). */
export const threatsExportQuerySchema = threatsQuerySchema.and(
  z.object({
    format: z.enum(['csv', 'json']).default('csv'),
    limit: z.coerce.number().int().min(1).max(100_000).default(10_000),
  }),
);
export type ThreatsExportQuery = z.infer<typeof threatsExportQuerySchema>;

/** GET /api/v1/threats/:type/:id */
export const threatParamsSchema = z.object({ type: dataTypeSchema, id: z.string().min(1).max(200) });

// ---------------------------------------------------------------------------------------------------------------
// Network view: Grafana Node Graph data frames (+ lat/lon for the geomap)
// ---------------------------------------------------------------------------------------------------------------

/**
 * A row of the `nodes` frame. Field names are exactly those Grafana's Node Graph panel reads, so
 * `toDataFrame({ name: 'nodes', fields: ... })` needs no renaming. `arc__*` values of a node sum to 1.
 */
export const graphNodeSchema = z.object({
  /** The IP (flow, proxy clients) or query name (DNS). */
  id: z.string(),
  title: z.string(),
  /** Network-context name, or country/city for external hosts. */
  subtitle: z.string(),
  /** Suspicious events this node takes part in. */
  mainstat: z.number(),
  /** Lowest (most unusual) score among them. */
  secondarystat: z.number(),
  /** Share of the node's events the analyst rated 1 or 2. */
  arc__rated_threat: z.number(),
  /** Share rated 3 (benign). */
  arc__rated_benign: z.number(),
  /** Share not rated yet. */
  arc__unrated: z.number(),
  /** Node colour: red for high reputation risk or a severity-1 rating, else by internal/external. */
  color: z.string(),
  /** `internal`, `external` or `domain` (DNS query names). */
  detail__kind: z.string(),
  detail__context: z.string(),
  detail__country: z.string(),
  detail__reputation: z.number(),
  /** External hosts whose autonomous system is known: `AS15169 Google LLC`. */
  detail__as: z.string().optional(),
  lat: z.number().optional(),
  lon: z.number().optional(),
});
export type GraphNode = z.infer<typeof graphNodeSchema>;

/** A row of the `edges` frame: one per (source, target) pair of the suspicious events. */
export const graphEdgeSchema = z.object({
  id: z.string(),
  source: z.string(),
  target: z.string(),
  /** Suspicious events between the pair. */
  mainstat: z.number(),
  /** Lowest score between the pair. */
  secondarystat: z.number(),
  /** -ln(score) scaled into [1, 10], as Spot weighted its links. */
  thickness: z.number(),
  color: z.string(),
  detail__ports: z.string(),
});
export type GraphEdge = z.infer<typeof graphEdgeSchema>;

/** GET /api/v1/network */
export const networkQuerySchema = z
  .object({
    type: dataTypeSchema,
    from: instantSchema,
    to: instantSchema,
    ip: ipSchema.optional(),
    domain: z.string().trim().min(1).max(253).optional(),
    /** Take the graph from the first `limit` events of the ranking. */
    limit: z.coerce.number().int().min(1).max(5000).default(250),
    includeSuppressed: queryBoolean.default(false),
  })
  .refine((query) => query.from < query.to, { message: '"from" must be before "to"', path: ['from'] });
export type NetworkQuery = z.infer<typeof networkQuerySchema>;

export const networkResponseSchema = z.object({
  nodes: z.array(graphNodeSchema),
  edges: z.array(graphEdgeSchema),
});
export type NetworkResponse = z.infer<typeof networkResponseSchema>;

/** A point for Grafana's Geomap panel (one per external IP with a location). */
export const geoPointSchema = z.object({
  ip: z.string(),
  lat: z.number(),
  lon: z.number(),
  country: z.string().optional(),
  city: z.string().optional(),
  /** Autonomous system number and organisation of the IP, when known. */
  asn: z.number().int().optional(),
  asOrg: z.string().optional(),
  /** Suspicious events involving the IP. */
  count: z.number().int(),
  minScore: z.number(),
  /** Storyboard only: `inbound`, `outbound` or `two-way` relative to the anchor; `suspicious` in the geo view. */
  direction: z.enum(['inbound', 'outbound', 'two-way', 'suspicious']),
});
export type GeoPoint = z.infer<typeof geoPointSchema>;

/** GET /api/v1/geo: same query as the network view. */
export const geoQuerySchema = networkQuerySchema;
export const geoResponseSchema = z.object({ points: z.array(geoPointSchema) });
export type GeoResponse = z.infer<typeof geoResponseSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Threat investigation (expanded search over raw events)
// ---------------------------------------------------------------------------------------------------------------

/** GET /api/v1/investigation: give exactly one of ip, domain, uri. */
export const investigationQuerySchema = z
  .object({
    type: dataTypeSchema,
    from: instantSchema,
    to: instantSchema,
    ip: ipSchema.optional(),
    domain: z.string().trim().min(1).max(253).optional(),
    uri: z.string().trim().min(1).max(4096).optional(),
    /** Rows per top list (Spot's `top_results`). */
    top: z.coerce.number().int().min(1).max(500).default(20),
  })
  .refine((query) => query.from < query.to, { message: '"from" must be before "to"', path: ['from'] })
  .refine((query) => [query.ip, query.domain, query.uri].filter((v) => v !== undefined).length === 1, {
    message: 'give exactly one of ip, domain, uri',
    path: ['ip'],
  });
export type InvestigationQuery = z.infer<typeof investigationQuerySchema>;

export const peerSchema = z.object({
  ip: z.string(),
  /** Whether the peer was seen as source, destination or both relative to the anchor. */
  direction: z.enum(['inbound', 'outbound', 'two-way']),
  connections: z.number().int(),
  bytes: z.number(),
  packets: z.number(),
  firstSeen: z.string(),
  lastSeen: z.string(),
  internal: z.boolean().optional(),
  context: z.string().optional(),
  geo: geoSchema.optional(),
});
export type Peer = z.infer<typeof peerSchema>;

export const countedSchema = z.object({ value: z.string(), count: z.number().int() });
export type Counted = z.infer<typeof countedSchema>;

/** Flow: one row per (src, dst, srcPort, dstPort) with the anchor on either side (Spot's expanded search). */
export const flowPairSchema = z.object({
  srcIp: z.string(),
  dstIp: z.string(),
  srcPort: z.number().int().optional(),
  dstPort: z.number().int().optional(),
  protocol: z.string().optional(),
  firstSeen: z.string(),
  lastSeen: z.string(),
  connections: z.number().int(),
  maxBytes: z.number(),
  avgBytes: z.number(),
  maxPackets: z.number(),
  avgPackets: z.number(),
});
export type FlowPair = z.infer<typeof flowPairSchema>;

export const investigationResponseSchema = z.object({
  dataType: dataTypeSchema,
  anchor: z.object({ ip: z.string().optional(), domain: z.string().optional(), uri: z.string().optional() }),
  /** Raw events matching the anchor in the range. */
  events: z.number().int(),
  /** Flow and proxy: peers ordered by connections, and by bytes. */
  topPeersByConnections: z.array(peerSchema),
  topPeersByBytes: z.array(peerSchema),
  /** Flow: the pairs. */
  pairs: z.array(flowPairSchema).optional(),
  /** DNS with ip=: names the IP asked for. */
  namesForIp: z.array(countedSchema).optional(),
  /** DNS with domain=: clients that asked for it. */
  ipsForName: z.array(countedSchema).optional(),
  /** DNS with domain=: addresses the answers carried. */
  answersForName: z.array(countedSchema).optional(),
  /** Proxy: URIs requested (ip=) or requests to the URI (uri=/domain=). */
  uris: z.array(countedSchema).optional(),
  /** Proxy: referers of those requests, and URIs that had the anchor URI as referer. */
  referers: z.array(countedSchema).optional(),
  referredUris: z.array(countedSchema).optional(),
});
export type InvestigationResponse = z.infer<typeof investigationResponseSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Storyboard
// ---------------------------------------------------------------------------------------------------------------

export const anchorSchema = z
  .object({ ip: ipSchema.optional(), domain: z.string().trim().min(1).max(253).optional(), uri: z.string().trim().min(1).max(4096).optional() })
  .refine((anchor) => [anchor.ip, anchor.domain, anchor.uri].filter((v) => v !== undefined).length === 1, {
    message: 'give exactly one of ip, domain, uri',
  });

/** PUT /api/v1/storyboard: create or replace the story of one anchor in one window (id derived from both). */
export const storyboardSaveSchema = z.object({
  dataType: dataTypeSchema,
  anchor: anchorSchema,
  from: instantSchema,
  to: instantSchema,
  title: z.string().trim().min(1).max(200),
  summary: z.string().max(20_000),
  /** Who writes it (the Grafana user's login). */
  author: z.string().trim().min(1).max(200),
});
export type StoryboardSave = z.infer<typeof storyboardSaveSchema>;

export const storyboardEntrySchema = z.object({
  id: z.string(),
  dataType: dataTypeSchema,
  anchor: z.object({ ip: z.string().optional(), domain: z.string().optional(), uri: z.string().optional() }),
  from: z.string(),
  to: z.string(),
  title: z.string(),
  summary: z.string(),
  author: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type StoryboardEntry = z.infer<typeof storyboardEntrySchema>;

/** GET /api/v1/storyboard: the executive briefing list. */
export const storyboardListQuerySchema = z
  .object({ type: dataTypeSchema.optional(), from: instantSchema, to: instantSchema })
  .extend(pagingQuerySchema.shape);
export const storyboardListResponseSchema = pageOf(storyboardEntrySchema);

/** GET /api/v1/storyboard/analysis: incident progression, impact, geo and timeline for an anchor. */
export const storyboardAnalysisQuerySchema = investigationQuerySchema;

export const progressionGroupSchema = z.object({
  /** `inbound` (peers seen only as sources), `outbound` (only as destinations) or `two-way`. */
  direction: z.enum(['inbound', 'outbound', 'two-way']),
  /** Peers per network-context name (`external` for hosts outside the internal ranges). */
  contexts: z.array(z.object({ name: z.string(), count: z.number().int(), ips: z.array(z.string()) })),
  count: z.number().int(),
});

export const timelineEntrySchema = z.object({
  start: z.string(),
  end: z.string(),
  srcIp: z.string(),
  dstIp: z.string().optional(),
  srcPort: z.number().int().optional(),
  dstPort: z.number().int().optional(),
  protocol: z.string().optional(),
  /** DNS: query name; proxy: URL. */
  detail: z.string().optional(),
  events: z.number().int(),
  bytes: z.number().optional(),
});
export type TimelineEntry = z.infer<typeof timelineEntrySchema>;

export const storyboardAnalysisResponseSchema = z.object({
  dataType: dataTypeSchema,
  anchor: z.object({ ip: z.string().optional(), domain: z.string().optional(), uri: z.string().optional() }),
  /** Incident progression: anchor -> direction -> network context -> peers. */
  progression: z.array(progressionGroupSchema),
  /** Impact analysis: peer counts per direction and per context category (VPN, DMZ, Proxy, FW, ...). */
  impact: z.object({
    inbound: z.number().int(),
    outbound: z.number().int(),
    twoWay: z.number().int(),
    byCategory: z.array(z.object({ category: z.string(), count: z.number().int() })),
  }),
  geo: z.array(geoPointSchema),
  /** Up to 1000 rows, oldest first. */
  timeline: z.array(timelineEntrySchema),
  /** The saved story for this anchor and window, if any. */
  story: storyboardEntrySchema.optional(),
});
export type StoryboardAnalysisResponse = z.infer<typeof storyboardAnalysisResponseSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Ingest summary
// ---------------------------------------------------------------------------------------------------------------

/** GET /api/v1/ingest/summary */
export const ingestSummaryQuerySchema = z
  .object({
    type: dataTypeSchema.optional(),
    /** Restrict to one source: the sensor named at ingest (`--sensor`, the host name by default). */
    source: z.string().trim().min(1).max(200).optional(),
    from: instantSchema,
    to: instantSchema,
  })
  .refine((query) => query.from < query.to, { message: '"from" must be before "to"', path: ['from'] });
export type IngestSummaryQuery = z.infer<typeof ingestSummaryQuerySchema>;

export const ingestPointSchema = z.object({
  /** Start of the minute, ISO-8601. */
  minute: z.string(),
  dataType: dataTypeSchema,
  source: z.string(),
  /** Events indexed in that minute. */
  count: z.number().int(),
});
export const ingestSummaryResponseSchema = z.object({
  points: z.array(ingestPointSchema),
  /** Totals per data type and source over the range. */
  totals: z.array(z.object({ dataType: dataTypeSchema, source: z.string(), count: z.number().int() })),
});
export type IngestSummaryResponse = z.infer<typeof ingestSummaryResponseSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Feedback and allowlist
// ---------------------------------------------------------------------------------------------------------------

/** The fields an allowlist entry can match on; every given field must match (AND). */
export const allowlistMatchSchema = z
  .object({
    srcIp: ipSchema.optional(),
    dstIp: ipSchema.optional(),
    srcPort: portSchema.optional(),
    dstPort: portSchema.optional(),
    /** DNS query name or proxy host; matches the name and every subdomain of it. */
    domain: z.string().trim().toLowerCase().min(1).max(253).optional(),
  })
  .refine((match) => Object.values(match).some((v) => v !== undefined), {
    message: 'an allowlist entry needs at least one of srcIp, dstIp, srcPort, dstPort, domain',
  });
export type AllowlistMatch = z.infer<typeof allowlistMatchSchema>;

/** POST /api/v1/allowlist (and the `allowlist` part of a feedback). */
export const allowlistCreateSchema = z.object({
  /** Limit the entry to one data type; all types when absent. */
  dataType: dataTypeSchema.optional(),
  match: allowlistMatchSchema,
  /** Who asked for it. */
  author: z.string().trim().min(1).max(200),
  reason: z.string().trim().min(1).max(2000),
  /** When the entry stops applying; never when absent. */
  expiresAt: instantSchema.optional(),
});
export type AllowlistCreate = z.infer<typeof allowlistCreateSchema>;

export const allowlistEntrySchema = z.object({
  id: z.string(),
  dataType: dataTypeSchema.optional(),
  match: z.object({
    srcIp: z.string().optional(),
    dstIp: z.string().optional(),
    srcPort: z.number().int().optional(),
    dstPort: z.number().int().optional(),
    domain: z.string().optional(),
  }),
  author: z.string(),
  reason: z.string(),
  createdAt: z.string(),
  expiresAt: z.string().optional(),
  active: z.boolean(),
  /** Suspicious events this entry hides now (computed on read). */
  suppressed: z.number().int(),
});
export type AllowlistEntry = z.infer<typeof allowlistEntrySchema>;

export const allowlistListQuerySchema = z
  .object({ includeExpired: queryBoolean.default(false) })
  .extend(pagingQuerySchema.shape);
export const allowlistListResponseSchema = pageOf(allowlistEntrySchema);
export const allowlistParamsSchema = z.object({ id: z.string().min(1).max(200) });
/** DELETE /api/v1/allowlist/:id body (optional): who removes it and why, for the audit log. */
export const allowlistDeleteSchema = z.object({
  author: z.string().trim().min(1).max(200),
  reason: z.string().trim().max(2000).optional(),
});

/** POST /api/v1/feedback */
export const feedbackCreateSchema = z.object({
  dataType: dataTypeSchema,
  /** The threat's `id` as listed by /threats. */
  threatId: z.string().min(1).max(200),
  rating: ratingSchema,
  author: z.string().trim().min(1).max(200),
  comment: z.string().max(2000).optional(),
  /** Also create an allowlist entry (usually with rating 3). */
  allowlist: allowlistCreateSchema.omit({ author: true, dataType: true }).optional(),
});
export type FeedbackCreate = z.infer<typeof feedbackCreateSchema>;

export const feedbackRecordSchema = z.object({
  id: z.string(),
  dataType: dataTypeSchema,
  threatId: z.string(),
  rating: ratingSchema,
  author: z.string(),
  comment: z.string().optional(),
  createdAt: z.string(),
  /** The rated event's identity and words, kept so retraining never needs the suspicious index. */
  eventTimestamp: z.string(),
  srcIp: z.string(),
  dstIp: z.string().optional(),
  srcPort: z.number().int().optional(),
  dstPort: z.number().int().optional(),
  domain: z.string().optional(),
  url: z.string().optional(),
  words: z.array(z.string()),
});
export type FeedbackRecord = z.infer<typeof feedbackRecordSchema>;

export const feedbackResponseSchema = z.object({
  feedback: feedbackRecordSchema,
  /** Set when the rating (3) enqueued a retraining job; poll GET /api/v1/jobs/:queue/:id. */
  retrainJob: z.object({ queue: z.string(), id: z.string() }).optional(),
  allowlistEntry: allowlistEntrySchema.optional(),
});
export type FeedbackResponse = z.infer<typeof feedbackResponseSchema>;

export const feedbackListQuerySchema = z
  .object({
    type: dataTypeSchema.optional(),
    rating: z.coerce.number().pipe(ratingSchema).optional(),
    from: instantSchema.optional(),
    to: instantSchema.optional(),
  })
  .extend(pagingQuerySchema.shape);
export const feedbackListResponseSchema = pageOf(feedbackRecordSchema);

// ---------------------------------------------------------------------------------------------------------------
// Jobs
// ---------------------------------------------------------------------------------------------------------------

export const queueNameSchema = z.enum(['score', 'train', 'retrain', 'enrich']);
export type QueueName = z.infer<typeof queueNameSchema>;

export const jobStateSchema = z.enum([
  'waiting',
  'active',
  'completed',
  'failed',
  'delayed',
  'prioritized',
  'waiting-children',
  'unknown',
]);

export const jobSchema = z.object({
  id: z.string(),
  queue: queueNameSchema,
  /** Job name, e.g. `score-window`, `retrain`. */
  name: z.string(),
  state: jobStateSchema,
  /** 0..100 */
  progress: z.number(),
  /** What the job works on: data type and window, never events. */
  data: z.object({ dataType: dataTypeSchema, from: z.string().optional(), to: z.string().optional() }).passthrough(),
  attemptsMade: z.number().int(),
  failedReason: z.string().optional(),
  createdAt: z.string(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  /** The job's summary once completed (e.g. events scored, suspicious written, model version). */
  result: z.record(z.string(), z.unknown()).optional(),
});
export type JobView = z.infer<typeof jobSchema>;

export const jobParamsSchema = z.object({ queue: queueNameSchema, id: z.string().min(1).max(200) });
export const jobsListQuerySchema = z.object({
  queue: queueNameSchema,
  state: jobStateSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(20),
});
export const jobsListResponseSchema = z.object({
  items: z.array(jobSchema),
  /** Jobs per state in the queue right now. */
  counts: z.record(z.string(), z.number()),
});

/** POST /api/v1/jobs/score: score one window now (the same job the schedulers enqueue). */
export const scoreJobCreateSchema = z
  .object({
    dataType: dataTypeSchema,
    from: instantSchema,
    to: instantSchema,
    /** Scale-out: train once, then score the window as this many part jobs and a merge (any worker, any host). */
    parts: z.number().int().min(1).max(256).optional(),
  })
  .refine((body) => body.from < body.to, { message: '"from" must be before "to"', path: ['from'] });
/**
 * POST /api/v1/jobs/enrich: re-enrich the suspicious events of every scored window overlapping [from, to) with the
 * current enrichment (blocklist, network context, geo and ASN tables), without re-scoring.
 */
export const enrichJobCreateSchema = z
  .object({ dataType: dataTypeSchema, from: instantSchema, to: instantSchema })
  .refine((body) => body.from < body.to, { message: '"from" must be before "to"', path: ['from'] });
/** POST /api/v1/jobs/retrain: retrain a data type's model from its latest window and all feedback. */
export const retrainJobCreateSchema = z.object({ dataType: dataTypeSchema, reason: z.string().max(500).optional() });
export const jobCreatedResponseSchema = z.object({ queue: queueNameSchema, id: z.string() });

// ---------------------------------------------------------------------------------------------------------------
// Models
// ---------------------------------------------------------------------------------------------------------------

export const modelSchema = z.object({
  /** `<dataType>-v<version>` */
  id: z.string(),
  dataType: dataTypeSchema,
  /** Increases by one with every training of the data type. */
  version: z.number().int(),
  algorithm: z.string(),
  params: z.record(z.string(), z.unknown()),
  trainingWindow: z.object({ from: z.string(), to: z.string() }),
  trainedAt: z.string(),
  /** Why it was trained: `schedule`, `cli`, `feedback`. */
  trigger: z.string(),
  events: z.number().int(),
  documents: z.number().int(),
  vocabulary: z.number().int(),
  /** Feedback rows (rating 3) folded into this version. */
  feedbackRows: z.number().int(),
  /** Evaluation figures where labels or feedback allow them (precision@k, PR-AUC, ...). */
  evaluation: z.record(z.string(), z.number()).optional(),
  /** The version scoring uses now (the latest of the data type). */
  active: z.boolean(),
});
export type ModelView = z.infer<typeof modelSchema>;

export const modelsQuerySchema = z.object({ type: dataTypeSchema.optional() }).extend(pagingQuerySchema.shape);
export const modelsResponseSchema = pageOf(modelSchema);

// ---------------------------------------------------------------------------------------------------------------
// Audit, health
// ---------------------------------------------------------------------------------------------------------------

export const auditEntrySchema = z.object({
  id: z.string(),
  at: z.string(),
  actor: z.string(),
  /** e.g. `feedback.create`, `allowlist.create`, `allowlist.delete`, `storyboard.save`. */
  action: z.string(),
  target: z.string(),
  details: z.record(z.string(), z.unknown()),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;
export const auditQuerySchema = z
  .object({ action: z.string().max(100).optional(), actor: z.string().max(200).optional() })
  .extend(pagingQuerySchema.shape);
export const auditResponseSchema = pageOf(auditEntrySchema);

/** GET /api/v1/health (no token needed). 200 when every dependency answers, 503 otherwise. */
export const healthResponseSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  opensearch: z.object({ ok: z.boolean(), status: z.string().optional(), error: z.string().optional() }),
  redis: z.object({ ok: z.boolean(), error: z.string().optional() }),
  version: z.string(),
});
export type HealthResponse = z.infer<typeof healthResponseSchema>;
