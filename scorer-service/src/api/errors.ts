import type { z } from 'zod';

/** A client error whose message is the whole story (4xx). */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly details?: { path: string; message: string }[],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Validates request input with its contract schema; a 400 lists every invalid field. */
export function parseInput<S extends z.ZodTypeAny>(schema: S, value: unknown, where: 'query' | 'body' | 'path'): z.infer<S> {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.map((issue) => ({ path: issue.path.map(String).join('.') || where, message: issue.message }));
  throw new ApiError(400, `invalid ${where}: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`, details);
}
