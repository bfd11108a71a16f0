import { names } from '@nx/devkit';
import { portsInUse } from './registrations.mjs';

/** The audience rule of auth's AUTH_AUDIENCES and of every scope: lower-case words joined by dashes. */
const SERVICE_NAME = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const MAX_NAME_LENGTH = 40;

/** Names taken by the workspace's own folders and routes, or that would make an odd audience. */
const RESERVED_NAMES = new Set(['api', 'admin', 'app', 'apps', 'compose', 'dist', 'docs', 'health', 'libs', 'metrics', 'oauth', 'plugin', 'postgres', 'redis', 'service', 'shared', 'stack', 'test', 'tools', 'well-known']);

/** PostgreSQL's reserved key words: the database `CREATE DATABASE <name>` makes for compose cannot be one. */
const SQL_RESERVED_WORDS = new Set(
  ('all analyse analyze and any array as asc asymmetric both case cast check collate column constraint create current_catalog current_date ' +
    'current_role current_time current_timestamp current_user default deferrable desc distinct do else end except false fetch for foreign from ' +
    'grant group having in initially intersect into lateral leading limit localtime localtimestamp not null offset on only or order placing ' +
    'primary references returning select session_user some symmetric system_user table then to trailing true union unique user using variadic ' +
    'when where window with').split(' '),
);

const FIRST_FREE_PORT_ABOVE = 3000;

/** Everything the templates and the registrations need, derived once from the command line, or an error that says what to change. */
export function serviceOptions(tree, options) {
  const name = String(options.name ?? '').trim();
  refuseBadName(tree, name);
  const { className, propertyName, constantName } = names(name);
  const databaseName = name.replaceAll('-', '_');
  const description = serviceDescription(name, options.description);
  const port = servicePort(tree, options.port);
  return {
    name,
    className,
    propertyName,
    constantName,
    databaseName,
    tableName: `${databaseName}_items`,
    packageName: `@sso/${name}-service`,
    root: `apps/${name}`,
    port,
    description,
    migrationTimestamp: Date.now(),
  };
}

function refuseBadName(tree, name) {
  if (!SERVICE_NAME.test(name) || name.length > MAX_NAME_LENGTH) {
    throw new Error(`"${name}" is not a service name: use lower-case words joined by dashes (a-z, 0-9, starting with a letter), at most ${MAX_NAME_LENGTH} characters, e.g. inventory or order-history.`);
  }
  if (RESERVED_NAMES.has(name) || name.endsWith('-service')) throw new Error(`"${name}" is reserved in this workspace; choose another name.`);
  if (SQL_RESERVED_WORDS.has(name.replaceAll('-', '_'))) throw new Error(`"${name}" is a PostgreSQL reserved word and cannot name the service's database; choose another name.`);
  for (const folder of ['apps', 'libs', 'tools']) {
    if (tree.exists(`${folder}/${name}`)) throw new Error(`${folder}/${name} exists already: the generator never overwrites a project. Remove it first or choose another name.`);
  }
  const packageNames = ['apps', 'libs', 'tools'].flatMap((folder) => tree.children(folder).map((child) => `${folder}/${child}/package.json`)).filter((path) => tree.exists(path));
  for (const path of packageNames) {
    const { name: packageName } = JSON.parse(tree.read(path, 'utf-8'));
    if (packageName === `@sso/${name}-service` || packageName === `@sso/${name}`) throw new Error(`${path} is already the package ${packageName}; choose another name.`);
  }
}

function serviceDescription(name, given) {
  const description = (given ?? `Items per owner, generated as the starting point of the ${name} service.`).trim();
  if (!description || description.length > 200 || /['\\|<>\r\n`]/.test(description)) {
    throw new Error('--description must be one line of 1 to 200 characters, without single quotes, backquotes, backslashes, pipes or angle brackets.');
  }
  return description;
}

/** The given port, or the first above every port the stack already uses. */
function servicePort(tree, given) {
  const used = portsInUse(tree);
  if (given === undefined) return Math.max(FIRST_FREE_PORT_ABOVE, ...used.values()) + 1;
  const port = Number(given);
  if (!Number.isInteger(port) || port < 1024 || port > 65535) throw new Error(`--port ${given} is not a port from 1024 to 65535.`);
  const owner = [...used].find(([, taken]) => taken === port);
  if (owner) throw new Error(`--port ${port} is the port of ${owner[0]} already (tools/stack/src/services.mjs).`);
  return port;
}
