import { BadRequestException, ValidationPipe, type ValidationError } from '@nestjs/common';

/**
 * Validates every body, query and parameter DTO: unknown fields are refused, not silently
 * dropped, and a 400 lists each reason ("quantity must be a positive number").
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) => new BadRequestException({ message: reasons(errors), code: 'validation_failed', error: 'Bad Request' }),
  });
}

function reasons(errors: readonly ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((text) => (parent ? `${parent}.${text}` : text));
    return [...own, ...reasons(error.children ?? [], path)];
  });
}
