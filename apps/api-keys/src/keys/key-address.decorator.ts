import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ADDRESSED_KEY, type RequestWithAddressedKey } from '../http/key-path-redaction.js';
import { keyAddressOf, type KeyAddress } from './key-address.js';
import { keyNotFound } from './key-errors.js';

/** The key named by `:key` (its id, or the key the path redaction set aside); 404 when it names none. */
export const KeyParam = createParamDecorator((_data: unknown, context: ExecutionContext): KeyAddress => {
  const request = context.switchToHttp().getRequest<RequestWithAddressedKey & { params: Record<string, string> }>();
  const address = keyAddressOf(request.params.key ?? '', request[ADDRESSED_KEY]);
  if (!address) throw keyNotFound();
  return address;
});
