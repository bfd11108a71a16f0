import type { IncomingMessage, ServerResponse } from 'node:http';
import { BadRequestException } from '@nestjs/common';
import express from 'express';

const parseText = express.text({ type: 'text/plain', limit: '100kb' });

/**
 * The algoliasearch clients send JSON as `content-type: text/plain` (a "simple" request, so a
 * browser sends no CORS preflight). The platform parses only application/json, so the key
 * routes parse such a body themselves, with the same 100 kB limit.
 */
export function textJsonBody(req: IncomingMessage & { body?: unknown }, res: ServerResponse, next: (error?: unknown) => void): void {
  parseText(req as express.Request, res as express.Response, (error?: unknown) => {
    if (error) return next(error);
    if (typeof req.body !== 'string') return next();
    if (req.body.trim() === '') {
      req.body = undefined;
      return next();
    }
    try {
      req.body = JSON.parse(req.body);
    } catch {
      return next(new BadRequestException({ message: 'The body is not valid JSON', code: 'invalid_json', error: 'Bad Request' }));
    }
    next();
  });
}
