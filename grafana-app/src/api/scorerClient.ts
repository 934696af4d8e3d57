import { config, getBackendSrv } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';

import { PLUGIN_ID, SCORER_ROUTE } from '../constants';
import type {
  AllowlistCreate,
  AllowlistEntry,
  Anchor,
  DataType,
  FeedbackCreate,
  FeedbackResponse,
  HealthResponse,
  IngestSummaryResponse,
  InvestigationResponse,
  JobView,
  ModelView,
  NetworkResponse,
  GeoPoint,
  Paged,
  QueueName,
  StoryboardAnalysisResponse,
  StoryboardEntry,
  StoryboardSave,
  ThreatsResponse,
  TimeWindow,
} from './types';

/**
 * The only caller of the scorer service. Every request goes through Grafana's data proxy (the plugin route in
 * plugin.json), which adds the service URL and the bearer token server-side, so the token never reaches the browser.
 */
const BASE = `api/plugin-proxy/${PLUGIN_ID}/${SCORER_ROUTE}/api/v1`;

type Params = Record<string, string | number | boolean | undefined>;

async function request<T>(method: 'GET' | 'POST' | 'PUT', path: string, options: { params?: Params; body?: unknown } = {}): Promise<T> {
  const response = await lastValueFrom(
    getBackendSrv().fetch<T>({
      method,
      url: `${BASE}/${path}`,
      params: options.params ? definedOnly(options.params) : undefined,
      data: options.body,
      // Panels and pages show their own errors next to the thing that failed.
      showErrorAlert: false,
    })
  );
  return response.data;
}

function definedOnly(params: Params): Record<string, string | number | boolean> {
  const defined: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') {
      defined[key] = value;
    }
  }
  return defined;
}

/** Who the audit log names for an analyst's action: the signed-in Grafana user. */
export function currentAuthor(): string {
  return config.bootData?.user?.login || 'grafana';
}

export interface ThreatsFilter extends TimeWindow {
  type: DataType;
  ip?: string;
  domain?: string;
  tag?: string;
  rated?: boolean;
  page?: number;
  pageSize?: number;
}

export const scorerClient = {
  health: () => request<HealthResponse>('GET', 'health'),

  threats: (filter: ThreatsFilter) => request<ThreatsResponse>('GET', 'threats', { params: { ...filter } }),

  network: (query: { type: DataType; limit?: number; ip?: string } & TimeWindow) =>
    request<NetworkResponse>('GET', 'network', { params: { ...query } }),

  geo: (query: { type: DataType; limit?: number } & TimeWindow) => request<{ points: GeoPoint[] }>('GET', 'geo', { params: { ...query } }),

  submitFeedback: (feedback: Omit<FeedbackCreate, 'author'>) =>
    request<FeedbackResponse>('POST', 'feedback', { body: { ...feedback, author: currentAuthor() } }),

  addAllowlistEntry: (entry: Omit<AllowlistCreate, 'author'>) =>
    request<AllowlistEntry>('POST', 'allowlist', { body: { ...entry, author: currentAuthor() } }),

  job: (queue: string, id: string) => request<JobView>('GET', `jobs/${encodeURIComponent(queue)}/${encodeURIComponent(id)}`),

  jobs: (queue: QueueName, limit = 20) => request<{ items: JobView[]; counts: Record<string, number> }>('GET', 'jobs', { params: { queue, limit } }),

  investigate: (query: { type: DataType; top?: number } & Anchor & TimeWindow) =>
    request<InvestigationResponse>('GET', 'investigation', { params: { ...query } }),

  storyboards: (query: { type?: DataType } & TimeWindow) => request<Paged<StoryboardEntry>>('GET', 'storyboard', { params: { ...query, pageSize: 100 } }),

  storyboardAnalysis: (query: { type: DataType } & Anchor & TimeWindow) =>
    request<StoryboardAnalysisResponse>('GET', 'storyboard/analysis', { params: { ...query } }),

  saveStoryboard: (story: Omit<StoryboardSave, 'author'>) =>
    request<StoryboardEntry>('PUT', 'storyboard', { body: { ...story, author: currentAuthor() } }),

  ingestSummary: (query: { type?: DataType } & TimeWindow) => request<IngestSummaryResponse>('GET', 'ingest/summary', { params: { ...query } }),

  models: (query: { type?: DataType } = {}) => request<Paged<ModelView>>('GET', 'models', { params: { ...query, pageSize: 100 } }),
};

export type ScorerClient = typeof scorerClient;
