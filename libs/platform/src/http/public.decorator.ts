import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC_ROUTE = 'sso:public';

/** Marks a route (or a controller) reachable without credentials; everything else is denied. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC_ROUTE, true);
