import { BadRequestException, NotFoundException } from '@nestjs/common';

/** Algolia's answer for a key that does not exist, was deleted or has expired. */
export function keyNotFound(): NotFoundException {
  return new NotFoundException({ message: 'Key does not exist', code: 'key_not_found', error: 'Not Found' });
}

export function keyNotDeleted(): BadRequestException {
  return new BadRequestException({ message: 'Key is not deleted: only a deleted key can be restored', code: 'key_not_deleted', error: 'Bad Request' });
}
