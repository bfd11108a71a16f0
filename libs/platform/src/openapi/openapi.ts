import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { PAGING_RULES } from '../http/page.js';

/** OpenAPI UI at /docs and the document at /docs-json. */
export function setupOpenApi(app: INestApplication, service: string, description: string): void {
  const document = () =>
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder().setTitle(`${service} service`).setDescription(`${description}\n\n${PAGING_RULES}`).setVersion('1').addBearerAuth().build(),
    );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
