import { HttpException } from '@nestjs/common';

/** Algolia's error body: `{ message, status }`, which its clients read. */
export interface AlgoliaErrorBody {
  message: string;
  status: number;
}

export class AlgoliaException extends HttpException {
  constructor(status: number, message: string) {
    super({ message, status } satisfies AlgoliaErrorBody, status);
  }
}

export const badRequest = (message: string) => new AlgoliaException(400, message);
export const indexNotFound = () => new AlgoliaException(404, 'Index does not exist');
export const objectNotFound = () => new AlgoliaException(404, 'ObjectID does not exist');
export const indexNotAllowed = () => new AlgoliaException(403, 'Index not allowed with this API key');
export const aclMissing = (acl: string) => new AlgoliaException(403, `Method not allowed with this API key (needs the ${acl} ACL)`);
