import { Body, Controller, Delete, Get, Headers, HttpCode, Inject, Param, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Scopes, type Principal, subjectFor } from '@sso/auth';
import { SERVICE_CONFIG } from '@sso/platform';
import type { Response } from 'express';
import type { SettingsConfig } from '../config.js';
import { documentJson } from './document-body.js';
import { NamespaceParams } from './dto/namespace.params.js';
import { SettingsListQuery } from './dto/settings-list.query.js';
import { SubjectQuery } from './dto/subject.query.js';
import { noneMatch, writePrecondition } from './preconditions.js';
import { SettingsService } from './settings.service.js';

/** Lets a user token act on any subject of this service. */
const ADMIN_SCOPE = 'settings:admin';

const DOCUMENT_SCHEMA = { type: 'object', additionalProperties: true, example: { theme: 'dark', pageSize: 50 } } as const;

@ApiTags('settings')
@ApiBearerAuth()
@Controller('settings')
export class SettingsController {
  constructor(
    private readonly settings: SettingsService,
    @Inject(SERVICE_CONFIG) private readonly config: SettingsConfig,
  ) {}

  @Get()
  @Scopes('settings:read')
  @ApiOperation({ summary: 'Every namespace of the subject: { "<namespace>": {...} }, in namespace order, a page at a time (total in X-Total-Count)' })
  @ApiResponse({ status: 200, schema: { type: 'object', additionalProperties: DOCUMENT_SCHEMA } })
  async all(@Query() query: SettingsListQuery, @CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) response: Response): Promise<Record<string, unknown>> {
    const { documents, total } = await this.settings.page(subjectFor(principal, query.subject, ADMIN_SCOPE), query.offset, query.limit);
    response.setHeader('X-Total-Count', String(total));
    response.setHeader('Cache-Control', 'private, no-cache');
    return documents;
  }

  @Get(':namespace')
  @Scopes('settings:read')
  @ApiOperation({ summary: 'One document, with its strong ETag; If-None-Match with that ETag answers 304' })
  @ApiHeader({ name: 'If-None-Match', required: false })
  @ApiResponse({ status: 200, schema: DOCUMENT_SCHEMA })
  async get(
    @Param() { namespace }: NamespaceParams,
    @Query() { subject }: SubjectQuery,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Record<string, unknown> | undefined> {
    const stored = await this.settings.get(subjectFor(principal, subject, ADMIN_SCOPE), namespace);
    response.setHeader('ETag', stored.etag);
    response.setHeader('Cache-Control', 'private, no-cache');
    if (noneMatch(ifNoneMatch, stored.revision)) {
      response.status(304);
      return undefined;
    }
    return stored.document;
  }

  @Put(':namespace')
  @Scopes('settings:write')
  @ApiOperation({
    summary: 'Create or replace one document (a JSON object) under optimistic concurrency',
    description:
      'No precondition: creates (201), or 428 precondition_required when the document exists. If-None-Match: * creates only (412 when it exists). If-Match: "<etag>" (or *) replaces (200), or 412 precondition_failed when the ETag is stale. The answer carries the new ETag.',
  })
  @ApiHeader({ name: 'If-Match', required: false })
  @ApiHeader({ name: 'If-None-Match', required: false, description: 'only *' })
  @ApiBody({ schema: DOCUMENT_SCHEMA })
  @ApiResponse({ status: 200, schema: DOCUMENT_SCHEMA, description: 'replaced' })
  @ApiResponse({ status: 201, schema: DOCUMENT_SCHEMA, description: 'created' })
  async put(
    @Param() { namespace }: NamespaceParams,
    @Query() { subject }: SubjectQuery,
    @Body() body: unknown,
    @Headers('content-type') contentType: string | undefined,
    @Headers('if-match') ifMatch: string | undefined,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Record<string, unknown>> {
    const owner = subjectFor(principal, subject, ADMIN_SCOPE);
    const json = documentJson(body, contentType, this.config.SETTINGS_MAX_DOCUMENT_BYTES);
    const { etag, created } = await this.settings.put(owner, namespace, json, writePrecondition(ifMatch, ifNoneMatch));
    response.status(created ? 201 : 200).setHeader('ETag', etag);
    return JSON.parse(json) as Record<string, unknown>;
  }

  @Delete(':namespace')
  @HttpCode(204)
  @Scopes('settings:write')
  @ApiOperation({ summary: 'Delete one document; If-Match is required (428 without it, 412 when stale)' })
  @ApiHeader({ name: 'If-Match', required: true })
  async delete(@Param() { namespace }: NamespaceParams, @Query() { subject }: SubjectQuery, @Headers('if-match') ifMatch: string | undefined, @CurrentPrincipal() principal: Principal): Promise<void> {
    await this.settings.delete(subjectFor(principal, subject, ADMIN_SCOPE), namespace, writePrecondition(ifMatch, undefined));
  }
}
