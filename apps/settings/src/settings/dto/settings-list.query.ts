import { IntersectionType } from '@nestjs/swagger';
import { PageQuery } from '@sso/platform';
import { SubjectQuery } from './subject.query.js';

/** A page of one subject's namespaces, in namespace order; the total is in X-Total-Count. */
export class SettingsListQuery extends IntersectionType(PageQuery, SubjectQuery) {}
