import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, UseFilters } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AcceptApiKeyInQuery, AllowApiKey, CurrentPrincipal, Scopes, type Principal } from '@sso/auth';
import { AlgoliaErrorFilter } from './algolia-error.filter.js';
import { badRequest, objectNotFound } from './algolia-errors.js';
import { batchWritesOf } from './batch-writes.js';
import { CatalogSearchService } from './catalog-search.service.js';
import { forcedParamsOf, requireAcl, requireProductsIndex } from './key-access.js';
import { newObjectId, RecordWriterService } from './record-writer.service.js';
import { checkedObjectId, OBJECT_ID, recordFieldsOf, recordOf, wholeRecordFieldsOf } from './records.js';
import { objectBody } from './request-params.js';
import { searchRequestOf } from './search-params.js';
import { TaskIds } from './task-ids.js';

/**
 * Algolia's record routes on the index `products`: reads with product:read or `search` (the key
 * in headers or, for getObject, the query string); writes with product:write or `addObject`
 * (`deleteObject` to delete), the key in headers only. Writes are committed before the
 * answer, so every task id they return is already `published`.
 */
@ApiTags('algolia')
@ApiBearerAuth()
@Controller('1/indexes')
@UseFilters(AlgoliaErrorFilter)
export class AlgoliaObjectsController {
  constructor(
    private readonly catalog: CatalogSearchService,
    private readonly writer: RecordWriterService,
    private readonly tasks: TaskIds,
  ) {}

  @Get(':index/task/:taskID')
  @Scopes('product:write')
  @AllowApiKey('addObject')
  @ApiOperation({ summary: 'Algolia getTask: always `published`, since writes finish before they are answered' })
  task(@Param('index') index: string, @Param('taskID') taskID: string) {
    requireProductsIndex(index);
    if (!/^[1-9]\d{0,17}$/.test(taskID)) throw badRequest('taskID must be a positive integer');
    return { status: 'published' };
  }

  @Get(':index/:objectID')
  @Scopes('product:read')
  @AllowApiKey('search')
  // A read, as a storefront makes it; write keys never come in a URL (logs and histories keep URLs).
  @AcceptApiKeyInQuery()
  @ApiOperation({ summary: "Algolia getObject; a key's forced filters apply (a record it could not find is a 404)" })
  async getObject(@Param('index') index: string, @Param('objectID') objectID: string, @Query('attributesToRetrieve') attributesToRetrieve: unknown, @CurrentPrincipal() who: Principal) {
    requireProductsIndex(index);
    const request = searchRequestOf(attributesToRetrieve === undefined ? {} : { attributesToRetrieve }, forcedParamsOf(who));
    const product = OBJECT_ID.test(objectID) ? await this.catalog.findOne(objectID, request.filters) : null;
    if (!product) throw objectNotFound();
    return recordOf(product, request.attributesToRetrieve);
  }

  @Post(':index/batch')
  @HttpCode(200)
  @Scopes('product:write')
  @AllowApiKey('addObject')
  @ApiOperation({ summary: 'Algolia batch: addObject, updateObject, partialUpdateObject(NoCreate), deleteObject (needs deleteObject); all or nothing' })
  async batch(@Param('index') index: string, @Body() body: unknown, @CurrentPrincipal() who: Principal) {
    requireProductsIndex(index);
    const writes = batchWritesOf(objectBody(body, 'a batch'));
    if (writes.some((write) => write.action === 'delete')) requireAcl(who, 'deleteObject');
    await this.writer.apply(writes);
    return { taskID: this.tasks.next(), objectIDs: writes.map((write) => write.objectID) };
  }

  @Post(':index')
  @Scopes('product:write')
  @AllowApiKey('addObject')
  @ApiOperation({ summary: 'Algolia saveObject: adds a record (a new objectID unless one is given; an existing one is replaced)' })
  async add(@Param('index') index: string, @Body() body: unknown) {
    requireProductsIndex(index);
    const record = objectBody(body, 'a record');
    const objectID = record.objectID === undefined ? newObjectId() : checkedObjectId(record.objectID);
    const createdAt = await this.writer.apply([{ action: 'replace', objectID, fields: wholeRecordFieldsOf(record) }]);
    return { createdAt: createdAt.toISOString(), taskID: this.tasks.next(), objectID };
  }

  @Put(':index/:objectID')
  @Scopes('product:write')
  @AllowApiKey('addObject')
  @ApiOperation({ summary: 'Algolia addOrUpdateObject: creates or replaces the record' })
  async replace(@Param('index') index: string, @Param('objectID') objectID: string, @Body() body: unknown) {
    requireProductsIndex(index);
    const record = objectBody(body, 'a record');
    checkedObjectId(objectID);
    if (record.objectID !== undefined && record.objectID !== objectID) throw badRequest('The objectID of the body differs from the one of the path');
    const updatedAt = await this.writer.apply([{ action: 'replace', objectID, fields: wholeRecordFieldsOf(record) }]);
    return { objectID, taskID: this.tasks.next(), updatedAt: updatedAt.toISOString() };
  }

  @Post(':index/:objectID/partial')
  @HttpCode(200)
  @Scopes('product:write')
  @AllowApiKey('addObject')
  @ApiOperation({ summary: 'Algolia partialUpdateObject: changes the attributes sent; creates the record unless createIfNotExists=false' })
  async partial(@Param('index') index: string, @Param('objectID') objectID: string, @Query('createIfNotExists') createIfNotExists: unknown, @Body() body: unknown) {
    requireProductsIndex(index);
    checkedObjectId(objectID);
    const fields = recordFieldsOf(objectBody(body, 'attributes to update'));
    const updatedAt = await this.writer.apply([{ action: 'partial', objectID, fields, createIfNotExists: booleanOf(createIfNotExists, 'createIfNotExists', true) }]);
    return { objectID, taskID: this.tasks.next(), updatedAt: updatedAt.toISOString() };
  }

  @Delete(':index/:objectID')
  @Scopes('product:write')
  @AllowApiKey('deleteObject')
  @ApiOperation({ summary: 'Algolia deleteObject: idempotent, as in Algolia' })
  async delete(@Param('index') index: string, @Param('objectID') objectID: string) {
    requireProductsIndex(index);
    checkedObjectId(objectID);
    const deletedAt = await this.writer.apply([{ action: 'delete', objectID }]);
    return { taskID: this.tasks.next(), deletedAt: deletedAt.toISOString() };
  }
}

function booleanOf(raw: unknown, name: string, fallback: boolean): boolean {
  if (raw === undefined) return fallback;
  if (raw === 'true' || raw === 'false') return raw === 'true';
  throw badRequest(`${name} must be true or false`);
}
