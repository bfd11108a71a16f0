import { BadRequestException, PayloadTooLargeException, UnsupportedMediaTypeException } from '@nestjs/common';

const JSON_MEDIA_TYPE = /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;

/** Deep enough for any settings document; bounds the recursion of serializing it. */
export const MAX_DOCUMENT_DEPTH = 32;

/**
 * The body of PUT /settings/:namespace as compact JSON text: sent as JSON, a JSON object (not an array
 * or a scalar), at most `maxBytes` once serialized, nested at most MAX_DOCUMENT_DEPTH deep.
 * It is free-form, so the DTO-based ValidationPipe cannot check it.
 */
export function documentJson(body: unknown, contentType: string | undefined, maxBytes: number): string {
  // A form body would parse into an object too; only JSON is a settings document.
  if (!JSON_MEDIA_TYPE.test(contentType ?? '') || body === undefined) throw new UnsupportedMediaTypeException({ message: 'the settings document must be sent as application/json', code: 'unsupported_media_type', error: 'Unsupported Media Type' });
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalidDocument('the settings document must be a JSON object');
  if (depthOf(body) > MAX_DOCUMENT_DEPTH) throw invalidDocument(`the settings document must not nest deeper than ${MAX_DOCUMENT_DEPTH} levels`);
  const json = JSON.stringify(body);
  const bytes = Buffer.byteLength(json, 'utf8');
  if (bytes > maxBytes) {
    throw new PayloadTooLargeException({ message: `the settings document is ${bytes} bytes serialized; at most ${maxBytes} are allowed`, code: 'document_too_large', error: 'Payload Too Large' });
  }
  return json;
}

/** Iterative, so that a hostile nesting cannot overflow the stack before it is refused. */
function depthOf(root: object): number {
  let deepest = 0;
  const pending: Array<[unknown, number]> = [[root, 1]];
  while (pending.length > 0) {
    const [value, depth] = pending.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    deepest = Math.max(deepest, depth);
    if (deepest > MAX_DOCUMENT_DEPTH) return deepest;
    for (const child of Object.values(value)) pending.push([child, depth + 1]);
  }
  return deepest;
}

function invalidDocument(message: string): BadRequestException {
  return new BadRequestException({ message: [message], code: 'invalid_document', error: 'Bad Request' });
}
