import { BadRequestException, Injectable, type PipeTransform, type ValidationError } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { ApiKeySettingsDto, withDefaults, type KeySettings } from './dto/api-key-settings.dto.js';

/**
 * Validates a key body and answers a refusal as Algolia does: 400 with one readable `message`
 * string (the algoliasearch client puts it in its ApiError), plus the contract's fields. The
 * global ValidationPipe would answer an array of reasons, so the route's parameter is typed
 * with an interface, which that pipe skips, and this pipe does the work.
 */
@Injectable()
export class KeySettingsPipe implements PipeTransform<unknown, Promise<KeySettings>> {
  async transform(body: unknown): Promise<KeySettings> {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw invalidKeySettings('The body must be a JSON object such as {"acl":["search"]}');
    }
    const dto = plainToInstance(ApiKeySettingsDto, body);
    const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
    if (errors.length > 0) throw invalidKeySettings(reasonsOf(errors).join('; '));
    return withDefaults(dto);
  }
}

export function invalidKeySettings(message: string): BadRequestException {
  return new BadRequestException({ message, code: 'validation_failed', error: 'Bad Request' });
}

function reasonsOf(errors: readonly ValidationError[]): string[] {
  return errors.flatMap((error) => Object.values(error.constraints ?? {}));
}
