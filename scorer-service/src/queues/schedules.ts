import type { Queue } from 'bullmq';
import { DATA_TYPES, type DataType } from '../domain/events';
import { JOB_NAMES } from './jobs';

/**
 * Recurring scoring as BullMQ job schedulers with stable ids (`score-<type>`): applying the schedules again after a
 * deploy updates them in place instead of adding a second one. An empty pattern removes the type's scheduler.
 */
export interface ScheduleSettings {
  patterns: Record<DataType, string>;
  window: 'hour' | 'day';
  timezone: string;
}

export function schedulerId(dataType: DataType): string {
  return `score-${dataType}`;
}

export async function applySchedules(scoreQueue: Queue, settings: ScheduleSettings): Promise<{ active: DataType[]; removed: DataType[] }> {
  const active: DataType[] = [];
  const removed: DataType[] = [];
  for (const dataType of DATA_TYPES) {
    const pattern = settings.patterns[dataType].trim();
    if (pattern === '') {
      if (await scoreQueue.removeJobScheduler(schedulerId(dataType))) removed.push(dataType);
      continue;
    }
    await scoreQueue.upsertJobScheduler(
      schedulerId(dataType),
      { pattern, tz: settings.timezone },
      { name: JOB_NAMES.score, data: { dataType, windowLength: settings.window, model: 'train', trigger: 'schedule' } },
    );
    active.push(dataType);
  }
  return { active, removed };
}
