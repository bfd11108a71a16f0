import { STATUS_CODES } from 'node:http';

/** The contract's error body: every error any service answers has this shape. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string | string[];
  requestId?: string;
  code?: string;
}

export function errorBody(statusCode: number, message: string | string[], extra: { requestId?: string; code?: string; error?: string } = {}): ErrorBody {
  const body: ErrorBody = { statusCode, error: extra.error ?? STATUS_CODES[statusCode] ?? 'Error', message };
  if (extra.code) body.code = extra.code;
  if (extra.requestId) body.requestId = extra.requestId;
  return body;
}
