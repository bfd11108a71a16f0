import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiBody, ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { CurrentPrincipal, Scopes, type Principal, actsOnAnySubject, notOwner, subjectFor } from '@sso/auth';
import { ApiPageResponse, type Page } from '@sso/platform';
import { RecordUsageEventDto } from './dto/record-usage-event.dto.js';
import { RecordUsageResultDto } from './dto/record-usage-result.dto.js';
import { UsageEventViewDto } from './dto/usage-event-view.dto.js';
import { UsageEventsQuery } from './dto/usage-events.query.js';
import { UsageSummaryDto } from './dto/usage-summary.dto.js';
import { UsageSummaryQuery } from './dto/usage-summary.query.js';
import { MAX_EVENTS_PER_REQUEST, UsageEventsPipe } from './usage-events.pipe.js';
import { UsageService, type UsageEventView } from './usage.service.js';

/** The calendar month (UTC) `now` falls in: [its first instant, the next month's). */
export function currentMonth(now: Date): { from: Date; to: Date } {
  return { from: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)), to: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)) };
}

/** Lets a user token act on any subject of this service. */
const ADMIN_SCOPE = 'usage-tracking:admin';

@ApiTags('usage')
@ApiBearerAuth()
@ApiExtraModels(RecordUsageEventDto)
@Controller('usage')
export class UsageController {
  constructor(private readonly usage: UsageService) {}

  @Post('events')
  @HttpCode(202)
  @Scopes('usage-tracking:write')
  @ApiOperation({
    summary: 'Record one event or a batch, idempotently',
    description: `At most ${MAX_EVENTS_PER_REQUEST} events and 100 kB per request (about 540 events with UUID ids and subjects); a bad item refuses the whole batch. A user may only record its own usage.`,
  })
  @ApiBody({ schema: { oneOf: [{ $ref: getSchemaPath(RecordUsageEventDto) }, { type: 'array', maxItems: MAX_EVENTS_PER_REQUEST, items: { $ref: getSchemaPath(RecordUsageEventDto) } }] } })
  @ApiAcceptedResponse({ type: RecordUsageResultDto })
  async record(@Body(UsageEventsPipe) events: RecordUsageEventDto[], @CurrentPrincipal() principal: Principal): Promise<RecordUsageResultDto> {
    if (!actsOnAnySubject(principal, ADMIN_SCOPE)) {
      const foreign = events.find((event) => event.subject !== principal.subject);
      if (foreign) throw notOwner(foreign.subject, ADMIN_SCOPE);
    }
    return this.usage.record(events, principal.clientId ?? principal.subject);
  }

  @Get('summary')
  @Scopes('usage-tracking:read')
  @ApiOperation({ summary: 'Totals per "<service>.<metric>" of one subject over [from, to), by default the current calendar month (UTC)' })
  @ApiOkResponse({ type: UsageSummaryDto })
  summary(@Query() query: UsageSummaryQuery, @CurrentPrincipal() principal: Principal): Promise<UsageSummaryDto> {
    const { from, to } = query.from && query.to ? { from: new Date(query.from), to: new Date(query.to) } : currentMonth(new Date());
    return this.usage.summary(subjectFor(principal, query.subject, ADMIN_SCOPE), from, to);
  }

  @Get('events')
  @Scopes('usage-tracking:read')
  @ApiOperation({ summary: 'One subject’s events, oldest first, a page at a time' })
  @ApiPageResponse(UsageEventViewDto)
  events(@Query() query: UsageEventsQuery, @CurrentPrincipal() principal: Principal): Promise<Page<UsageEventView>> {
    const period = { from: query.from ? new Date(query.from) : undefined, to: query.to ? new Date(query.to) : undefined };
    return this.usage.list(subjectFor(principal, query.subject, ADMIN_SCOPE), period, query.offset, query.limit);
  }
}
