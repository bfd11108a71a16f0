import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { Principal } from '@sso/auth';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { OutboxService } from './outbox.service.js';

/** Where the guard library leaves the verified principal on the request. */
type RequestWithPrincipal = IncomingMessage & { principal?: Principal };

/**
 * Records every answered request of the routes it is applied to, whatever the status
 * (401s and 404s included), for the caller or `anonymous`. It runs before the guards, so
 * it sees every request, and reads the principal once the answer is finished.
 */
@Injectable()
export class UsageRecorderMiddleware implements NestMiddleware {
  constructor(private readonly outbox: OutboxService) {}

  use(request: RequestWithPrincipal, response: ServerResponse, next: () => void): void {
    response.once('finish', () => this.outbox.recordRequest(request.principal?.subject ?? 'anonymous'));
    next();
  }
}
