import type { IncomingMessage, ServerResponse } from 'node:http';
import { BadRequestException } from '@nestjs/common';
import express from 'express';

type Next = (error?: unknown) => void;
export type TextJsonMiddleware = (req: IncomingMessage & { body?: unknown }, res: ServerResponse, next: Next) => void;

/**
 * Express middleware for the algoliasearch clients, which send JSON as `content-type: text/plain`
 * (a "simple" request, so a browser sends no CORS preflight). The platform parses only
 * application/json; routes that take such bodies apply this. An empty body becomes undefined;
 * malformed JSON passes on a 400 `invalid_json`; a body the parser refuses (larger than `limit`,
 * an unsupported encoding) passes on the parser's own 4xx error, with its `type`.
 */
export function textJsonBody(limit: string): TextJsonMiddleware {
  const parseText = express.text({ type: 'text/plain', limit });
  return (req, res, next) =>
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
