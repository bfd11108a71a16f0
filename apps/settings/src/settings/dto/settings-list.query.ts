import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { PageQuery } from '@sso/platform';
import { SubjectQuery } from './subject.query.js';

/** A page of one subject's namespaces, in namespace order; the total is in X-Total-Count. */
export class SettingsListQuery extends IntersectionType(PageQuery, SubjectQuery) {
  // A user has few namespaces: one page usually holds them all. Bounds come from PageQuery.
  @ApiPropertyOptional({ default: 100, maximum: 200 })
  override limit = 100;
}
