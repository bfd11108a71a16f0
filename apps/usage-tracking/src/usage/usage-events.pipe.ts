import { BadRequestException, Injectable, type PipeTransform, type ValidationError } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { RecordUsageEventDto } from './dto/record-usage-event.dto.js';

export const MAX_EVENTS_PER_REQUEST = 1_000;

/**
 * The body of POST /usage/events: one event or an array of them. The global ValidationPipe
 * cannot validate a union, so this pipe checks every item with the same rules (unknown
 * fields refused) and reports each reason with its index; one bad item refuses the batch.
 */
@Injectable()
export class UsageEventsPipe implements PipeTransform<unknown, Promise<RecordUsageEventDto[]>> {
  async transform(body: unknown): Promise<RecordUsageEventDto[]> {
    const batch = Array.isArray(body);
    const items: unknown[] = batch ? body : [body];
    if (items.length === 0) throw invalid(['the request must carry one event or a non-empty array of events']);
    if (items.length > MAX_EVENTS_PER_REQUEST) throw invalid([`at most ${MAX_EVENTS_PER_REQUEST} events per request (got ${items.length})`]);
    const reasons: string[] = [];
    const events: RecordUsageEventDto[] = [];
    for (const [index, item] of items.entries()) {
      const prefix = batch ? `[${index}].` : '';
      if (typeof item !== 'object' || item === null || Array.isArray(item)) {
        reasons.push(batch ? `[${index}] must be an event object` : 'the body must be an event object or an array of events');
        continue;
      }
      const event = plainToInstance(RecordUsageEventDto, item);
      const errors = await validate(event, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
      reasons.push(...messagesOf(errors).map((message) => `${prefix}${message}`));
      events.push(event);
    }
    if (reasons.length > 0) throw invalid(reasons);
    return events;
  }
}

function messagesOf(errors: readonly ValidationError[]): string[] {
  return errors.flatMap((error) => Object.values(error.constraints ?? {}));
}

function invalid(message: string[]): BadRequestException {
  return new BadRequestException({ message, code: 'validation_failed', error: 'Bad Request' });
}
