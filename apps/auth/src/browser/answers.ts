import { HttpStatus } from '@nestjs/common';
import type { Response } from 'express';
import { PAGE_SECURITY_POLICY } from './pages.js';

/** 303 See Other: after a form or toward the next step of a sign-in, the browser GETs `location`. */
export function seeOther(response: Response, location: string): void {
  response.status(HttpStatus.SEE_OTHER).set('Cache-Control', 'no-store').location(location).end();
}

/** One of the issuer's pages: never cached, loading nothing, framed by no one, leaking no referrer. */
export function sendPage(response: Response, status: number, html: string): void {
  response.status(status).set({ 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Security-Policy': PAGE_SECURITY_POLICY, 'Referrer-Policy': 'no-referrer', 'X-Frame-Options': 'DENY' }).send(html);
}
