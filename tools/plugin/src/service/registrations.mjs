import { logger } from '@nx/devkit';

/**
 * Every list outside the service's own folder that names each service. Each edit finds its
 * anchor or stops the generator with the file's name (Nx then writes nothing at all), so a
 * list that changed shape is noticed instead of silently missed.
 */
export const registrations = [
  { file: 'apps/auth/src/config.ts', what: "the issuer's audiences (AUTH_AUDIENCES default)", apply: addAudience },
  { file: 'tools/stack/src/services.mjs', what: '`npm start`: name and port', apply: addStackService },
  { file: 'tools/stack/package.json', what: "the stack's implicit dependencies (built before `npm start` and its tests)", apply: addStackDependency },
  { file: 'eslint.config.js', what: 'the scope tags of the project boundaries', apply: addBoundaryScope },
  { file: 'docker-compose.yml', what: 'a compose service', apply: addComposeService },
  { file: 'docker/postgres/init.sql', what: "compose's PostgreSQL database", apply: addComposeDatabase },
  { file: 'docs/CONTRACT.md', what: 'the ports and audiences table', apply: (text, service) => addTableRow(text, '| service | default `PORT` |', `| ${service.name} | ${service.port} | \`${service.name}\` |`) },
  { file: 'README.md', what: 'the services table', apply: (text, service) => addTableRow(text, '| service | port | audience |', `| [${service.name}](${service.root}) | ${service.port} | \`${service.name}\` | ${tableText(service.description)} |`) },
  { file: '.env.example', what: 'the ports and the service setting', apply: addEnvExample },
];

export function applyRegistrations(tree, service) {
  for (const { file, what, apply } of registrations) {
    if (!tree.exists(file)) throw new Error(`${file} is missing: cannot register ${service.name} in ${what}.`);
    const before = tree.read(file, 'utf-8');
    const after = apply(before, service);
    if (after === undefined || after === before) throw new Error(`${file}: found no place for ${service.name} in ${what}; add it by hand, or fix the file's shape.`);
    tree.write(file, after);
  }
}

/** Ports by service name, as `npm start` runs them. */
export function portsInUse(tree) {
  const file = 'tools/stack/src/services.mjs';
  const text = tree.exists(file) ? tree.read(file, 'utf-8') : '';
  return new Map([...text.matchAll(/\{\s*name:\s*'([^']+)',\s*port:\s*(\d+)\s*\}/g)].map(([, name, port]) => [name, Number(port)]));
}

function addAudience(text, { name }) {
  return replaceOnce(text, /(AUTH_AUDIENCES:[\s\S]*?\.default\(')([^']*)('\))/, (_, head, list, tail) => `${head}${list},${name}${tail}`);
}

function addStackService(text, { name, port }) {
  return replaceOnce(text, /(export const services = \[[\s\S]*?)(\n\];)/, (_, list, end) => `${list}\n  { name: '${name}', port: ${port} },${end}`);
}

function addStackDependency(text, { packageName }) {
  return replaceOnce(text, /("implicitDependencies":\s*\[[^\]]*?)(\s*\])/, (_, list, end) => `${list}, "${packageName}"${end}`);
}

function addBoundaryScope(text, { name }) {
  return replaceOnce(text, /(const services = \[[^\]]*?)(\])/, (_, list, end) => `${list}, '${name}'${end}`);
}

function addComposeService(text, service) {
  const { name, port, constantName, databaseName } = service;
  const block = [
    `  ${name}:`,
    '    <<: *service',
    `    command: ["node", "${service.root}/dist/main.js"]`,
    `    ports: ["\${PUBLISH_ADDRESS:-127.0.0.1}:\${${constantName}_PUBLISHED_PORT-${port}}:${port}"]`,
    '    depends_on: *after-auth',
    '    environment:',
    '      <<: *env',
    `      PORT: ${port}`,
    `      DATABASE_URL: postgres://sso:\${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}@postgres:5432/${databaseName}`,
    '',
  ].join('\n');
  return replaceOnce(text, /\n(volumes:\n)/, (_, volumes) => `\n${block}\n${volumes}`);
}

function addComposeDatabase(text, { databaseName }) {
  return `${text.replace(/\n*$/, '\n')}CREATE DATABASE ${databaseName};\n`;
}

/** A row after the last row of the first table whose header starts with `header`. */
function addTableRow(text, header, row) {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line.startsWith(header));
  if (start === -1) return undefined;
  let end = start;
  while (end + 1 < lines.length && lines[end + 1].startsWith('|')) end += 1;
  lines.splice(end + 1, 0, row);
  return lines.join('\n');
}

/** The setting is required; the ports named in the comments are prose, updated when they still read as generated. */
function addEnvExample(text, { name, port, constantName }) {
  const setting = `# ${name}: items one owner may keep.\n# ${constantName}_MAX_ITEMS_PER_OWNER=1000\n`;
  const withSetting = replaceOnce(text, /\n(# --- docker compose only)/, (_, section) => `\n${setting}\n${section}`);
  if (withSetting === undefined) return undefined;
  const prose = [
    [/(# Each service's port \([^)]*?)\)/, (_, list) => `${list}, ${name} ${port})`],
    [/(\S+_PORT) or ([A-Z_]+_PORT) instead\./, (_, before, last) => `${before}, ${last} or ${constantName}_PORT instead.`],
    [/([A-Z_]+)_PUBLISHED_PORT\); empty/, (_, last) => `${last}_…, ${constantName}_PUBLISHED_PORT); empty`],
  ];
  const withPorts = prose.reduce((current, [pattern, replacement]) => {
    const changed = replaceOnce(current, pattern, replacement);
    if (changed === undefined) logger.warn(`.env.example: the comment ${pattern} was not found; name ${name}'s port there by hand.`);
    return changed ?? current;
  }, withSetting);
  return ["# Each service's port (", "# A service's host port ("].reduce((current, start) => rewrapComment(current, start), withPorts);
}

const COMMENT_WIDTH = 95;

/** Wraps again the comment paragraph that starts with `start`, up to the next example line (`# NAME=`). */
function rewrapComment(text, start) {
  const lines = text.split('\n');
  const first = lines.findIndex((line) => line.startsWith(start));
  if (first === -1) return text;
  let last = first;
  while (last + 1 < lines.length && lines[last + 1].startsWith('# ') && !/^# [A-Z_]+=/.test(lines[last + 1])) last += 1;
  const words = lines.slice(first, last + 1).map((line) => line.slice(2)).join(' ').split(/\s+/).filter(Boolean);
  const wrapped = [];
  for (const word of words) {
    const current = wrapped.at(-1);
    if (current !== undefined && current.length + 1 + word.length <= COMMENT_WIDTH) wrapped[wrapped.length - 1] = `${current} ${word}`;
    else wrapped.push(`# ${word}`);
  }
  lines.splice(first, last - first + 1, ...wrapped);
  return lines.join('\n');
}

/** The services table's style: lower-case first letter, no final period. */
function tableText(description) {
  return `${description.charAt(0).toLowerCase()}${description.slice(1)}`.replace(/\.$/, '');
}

function replaceOnce(text, pattern, replacement) {
  return pattern.test(text) ? text.replace(pattern, replacement) : undefined;
}
