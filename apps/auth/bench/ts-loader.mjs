// Lets a benchmark import the TypeScript sources as the tests do, without a build: workspace
// libraries resolve through their "@sso/source" export condition, `.js` imports of sources fall
// back to the `.ts` file, and .ts files are transpiled by @swc/core with the tests' settings
// (swcOptions of jest.preset.js). Registered by the benchmark.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { transform } from '@swc/core';
import { swcOptions } from '../../../jest.preset.js';

export async function resolve(specifier, context, nextResolve) {
  const withSource = { ...context, conditions: ['@sso/source', ...context.conditions] };
  try {
    return await nextResolve(specifier, withSource);
  } catch (error) {
    if (specifier.startsWith('.') && specifier.endsWith('.js') && context.parentURL?.endsWith('.ts')) return nextResolve(`${specifier.slice(0, -3)}.ts`, withSource);
    throw error;
  }
}

export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return nextLoad(url, context);
  const filename = fileURLToPath(url);
  const { code } = await transform(await readFile(filename, 'utf8'), { filename, ...swcOptions });
  return { format: 'module', source: code, shortCircuit: true };
}
