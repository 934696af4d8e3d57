/**
 * Raw telemetry documents as Spothreat stores them: ECS field names (as Filebeat's netflow, dns and http
 * modules write them), nested objects, plus a `spothreat` namespace for provenance and ground-truth labels.
 * The index templates in opensearch-templates/ map exactly these fields (dynamic: strict).
 */

export type DataType = 'flow' | 'dns' | 'proxy';
export const DATA_TYPES: readonly DataType[] = ['flow', 'dns', 'proxy'];

/** Where a document came from; every decoder fills it so a rejected or suspicious event can be traced to its line. */
export interface Provenance {
  /** Input format name, e.g. `nfdump-csv`, `zeek`, `squid`. */
  format: string;
  /** Path of the file as given on the command line. */
  file: string;
  /** 1-based line number (text formats) or record/packet number (binary formats). */
  record: number;
  /** Ground-truth label where the source has one (Stratosphere `label`, CIC `Label`, Argus `Label`). */
  label?: string;
  /** Finer label where present (Stratosphere `detailedlabel`, CIC attack name). */
  label_detail?: string;
}

export interface Endpoint {
  ip: string;
  port?: number;
  bytes?: number;
  packets?: number;
}

interface BaseEvent {
  /** ISO-8601 UTC time of the event (flow start, DNS response, proxy request). */
  '@timestamp': string;
  event: {
    kind: 'event';
    category: string[];
    type: string[];
    /** `spothreat.flow`, `spothreat.dns` or `spothreat.proxy`. */
    dataset: string;
    start?: string;
    end?: string;
    /** Duration in nanoseconds, as ECS defines it. */
    duration?: number;
    /** Source-specific outcome: Zeek conn_state, Argus State. */
    action?: string;
  };
  spothreat: Provenance;
  /**
   * ECS `tags`: decoders mark documents whose source lacked a field the contract requires and that got a
   * documented placeholder instead (`placeholder_ip`, `placeholder_timestamp`, CIC files without IPs).
   */
  tags?: string[];
}

export interface FlowEvent extends BaseEvent {
  source: Endpoint;
  destination: Endpoint;
  network: {
    /** Lower-case transport name (`tcp`, `udp`, `icmp`), as ECS recommends. */
    transport?: string;
    /** IANA protocol number as a string, as ECS defines it. */
    iana_number?: string;
    bytes?: number;
    packets?: number;
  };
  /** TCP flags the way Filebeat's netflow module stores them. */
  netflow?: {
    tcp_control_bits?: number;
    /** Exporter (router) address (nfdump `ra`). */
    exporter?: { address?: string };
  };
  /** CICFlowMeter / UNSW features that no ECS field holds, kept for the autoencoder. */
  flow_features?: Record<string, number>;
}

export interface DnsEvent extends BaseEvent {
  /** The client that asked (the destination of the response packet Spot captured). */
  source: { ip: string; port?: number };
  /** The resolver that answered. */
  destination: { ip: string; port?: number };
  network: { transport?: string; iana_number?: string; protocol: 'dns'; bytes?: number };
  dns: {
    type: 'answer' | 'query';
    id?: number;
    question: {
      name: string;
      /** Mnemonic (`A`, `AAAA`, `TXT`); `TYPE<n>` when unknown. */
      type?: string;
      class?: string;
      registered_domain?: string;
      subdomain?: string;
      top_level_domain?: string;
    };
    /** Mnemonic (`NOERROR`, `NXDOMAIN`). */
    response_code?: string;
    answers?: { data: string; type?: string; ttl?: number }[];
    resolved_ip?: string[];
  };
  /** Numeric codes the word creation uses, kept beside the mnemonics so nothing is re-parsed. */
  dns_codes?: { qtype?: number; qclass?: number; rcode?: number };
}

export interface ProxyEvent extends BaseEvent {
  source: { ip: string; port?: number; bytes?: number };
  destination: { ip?: string; port?: number; bytes?: number; domain?: string };
  url: {
    original: string;
    full?: string;
    domain?: string;
    path?: string;
    query?: string;
    scheme?: string;
    port?: number;
    extension?: string;
    registered_domain?: string;
    top_level_domain?: string;
  };
  http: {
    request: { method?: string; referrer?: string; bytes?: number; mime_type?: string };
    response: { status_code?: number; bytes?: number; mime_type?: string };
  };
  user_agent?: { original?: string };
  user?: { name?: string };
  /** Proxy-specific fields (Bluecoat categories, filter result, action). */
  proxy?: { categories?: string; filter_result?: string; action?: string; auth_group?: string; exception_id?: string };
}

export type RawEvent = FlowEvent | DnsEvent | ProxyEvent;
