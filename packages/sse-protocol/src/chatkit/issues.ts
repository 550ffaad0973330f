import type { z } from 'zod';
import { RequestError } from '../errors';

/** One validation issue, as listed in the `details.issues` of an `invalid_request` error. */
export interface ChatKitRequestIssue {
  /** Where the issue is, e.g. `params.input.inference_options` (empty for the root). */
  path: string;
  /** The issue code, e.g. `invalid_type`, `invalid_union`, `invalid_json`. */
  code: string;
  message: string;
}

/** Flattens zod issues into `{path, code, message}` records. */
export function toIssues(error: z.ZodError): ChatKitRequestIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    code: issue.code,
    message: issue.message,
  }));
}

/** An `invalid_request` error naming what failed and listing the zod issues in `details.issues`. */
export function invalidRequest(what: string, error: z.ZodError): RequestError {
  const issues = toIssues(error);
  const summary = issues.map((issue) => `${issue.path || '(root)'}: ${issue.message}`).join('; ');
  return new RequestError('invalid_request', `Invalid ${what}: ${summary}`, { details: { issues } });
}
