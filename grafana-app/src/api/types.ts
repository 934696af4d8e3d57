/**
 * The scorer API's types, taken from the service's own contract (scorer-service/src/api/contract.ts, described in
 * docs/api.md). Type-only: nothing of the service's runtime reaches the browser bundle, and a contract change that
 * breaks the app breaks its type check.
 */
export type {
  AllowlistCreate,
  AllowlistEntry,
  AllowlistMatch,
  ApiDataType as DataType,
  Counted,
  FeedbackCreate,
  FeedbackResponse,
  FlowPair,
  GeoPoint,
  GraphEdge,
  GraphNode,
  HealthResponse,
  IngestSummaryResponse,
  InvestigationResponse,
  JobView,
  ModelView,
  NetworkResponse,
  Peer,
  QueueName,
  Rating,
  StoryboardAnalysisResponse,
  StoryboardEntry,
  StoryboardSave,
  Threat,
  ThreatsResponse,
  TimelineEntry,
} from '../../../scorer-service/src/api/contract';

import type { ApiDataType, JobView } from '../../../scorer-service/src/api/contract';

export const DATA_TYPES: readonly ApiDataType[] = ['flow', 'dns', 'proxy'];

export type JobState = JobView['state'];

/** A time range as the API takes it: epoch milliseconds, what Grafana's time picker gives. */
export interface TimeWindow {
  from: number;
  to: number;
}

/** Exactly one of these anchors an investigation or a story. */
export type Anchor = { ip: string } | { domain: string } | { uri: string };

export interface Paged<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}
