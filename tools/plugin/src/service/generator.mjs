import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateFiles, installPackagesTask, logger } from '@nx/devkit';
import { applyRegistrations, registrations } from './registrations.mjs';
import { serviceOptions } from './service-options.mjs';

const templates = join(dirname(fileURLToPath(import.meta.url)), '../../files');

/**
 * `nx g @sso/tools:service <name>`: a resource service shaped like settings (platform and
 * @sso/auth wired, config schema, first migration, guarded example routes, boot test with the
 * route walk), registered in every list that names the services.
 */
export default async function serviceGenerator(tree, options) {
  const service = serviceOptions(tree, options);
  generateFiles(tree, templates, service.root, service);
  applyRegistrations(tree, service);
  logger.info(`${service.name}: port ${service.port}, audience ${service.name}, scopes ${service.name}:read|write|admin; registered in ${registrations.map(({ file }) => file).join(', ')}.`);
  if (options.skipInstall) return undefined;
  // npm links the new workspace package and records it in package-lock.json.
  return () => installPackagesTask(tree, true);
}
