import { HttpStatus } from '@nestjs/common';
import type { Response } from 'express';

/** 303 See Other: after a form or toward the next step of a sign-in, the browser GETs `location`. */
export function seeOther(response: Response, location: string): void {
  response.status(HttpStatus.SEE_OTHER).set('Cache-Control', 'no-store').location(location).end();
}
