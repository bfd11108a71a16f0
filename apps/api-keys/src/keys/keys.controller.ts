import { Body, Controller, Delete, Get, HttpCode, Post, Put } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '@sso/auth';
import { AdminCredentials } from '../http/admin-credentials.decorator.js';
import { ApiKeySettingsDto, type KeySettings } from './dto/api-key-settings.dto.js';
import { ApiKeyViewDto, CreatedKeyDto, DeletedKeyDto, KeyListDto, UpdatedKeyDto } from './dto/key-responses.dto.js';
import type { KeyAddress } from './key-address.js';
import { KeyParam } from './key-address.decorator.js';
import { KeySettingsPipe } from './key-settings.pipe.js';
import { KeysService } from './keys.service.js';

/**
 * Algolia's key API (/1/keys), as the algoliasearch v5 client calls it. `:key` is the key
 * itself or its id (`keyId` of GET answers). Bodies are validated by KeySettingsPipe, which
 * answers 400 with one message string, as Algolia does.
 */
@ApiTags('keys')
@Controller('1/keys')
export class KeysController {
  constructor(private readonly keys: KeysService) {}

  @Post()
  @HttpCode(200)
  @AdminCredentials()
  @ApiOperation({ summary: 'Create a key; the answer is the only time the key is shown' })
  @ApiBody({ type: ApiKeySettingsDto })
  @ApiOkResponse({ type: CreatedKeyDto })
  create(@Body(KeySettingsPipe) settings: KeySettings, @CurrentPrincipal() principal: Principal): Promise<CreatedKeyDto> {
    return this.keys.create(settings, principal.subject);
  }

  @Get()
  @AdminCredentials()
  @ApiOperation({ summary: 'Every live key, newest first, masked' })
  @ApiOkResponse({ type: KeyListDto })
  async list(): Promise<KeyListDto> {
    return { keys: await this.keys.list() };
  }

  @Get(':key')
  @AdminCredentials()
  @ApiOperation({ summary: 'One live key, masked; 404 "Key does not exist" for an unknown, deleted or expired key' })
  @ApiOkResponse({ type: ApiKeyViewDto })
  get(@KeyParam() address: KeyAddress): Promise<ApiKeyViewDto> {
    return this.keys.get(address);
  }

  @Put(':key')
  @AdminCredentials()
  @ApiOperation({ summary: 'Replace every setting of a key (unset ones take their defaults)' })
  @ApiBody({ type: ApiKeySettingsDto })
  @ApiOkResponse({ type: UpdatedKeyDto })
  update(@KeyParam() address: KeyAddress, @Body(KeySettingsPipe) settings: KeySettings, @CurrentPrincipal() principal: Principal): Promise<UpdatedKeyDto> {
    return this.keys.update(address, settings, principal.subject);
  }

  @Delete(':key')
  @AdminCredentials()
  @ApiOperation({ summary: 'Delete a key; it can be restored during API_KEYS_RESTORE_HOURS' })
  @ApiOkResponse({ type: DeletedKeyDto })
  remove(@KeyParam() address: KeyAddress, @CurrentPrincipal() principal: Principal): Promise<DeletedKeyDto> {
    return this.keys.remove(address, principal.subject);
  }

  @Post(':key/restore')
  @HttpCode(200)
  @AdminCredentials()
  @ApiOperation({ summary: 'Restore a deleted key within the restore period; its validity resets to 0' })
  @ApiOkResponse({ type: CreatedKeyDto })
  restore(@KeyParam() address: KeyAddress, @CurrentPrincipal() principal: Principal): Promise<CreatedKeyDto> {
    return this.keys.restore(address, principal.subject);
  }
}
