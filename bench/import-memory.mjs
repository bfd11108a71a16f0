// How much resident memory importing a module adds to a bare Nest process (Nest core and the
// Express adapter loaded first). Usage: node --expose-gc bench/import-memory.mjs <module>
// Prints one JSON line: { "module", "addedMb", "rssMb" }.
const settle = async () => {
  for (let pass = 0; pass < 3; pass += 1) {
    global.gc();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};
await import('reflect-metadata');
await import('@nestjs/core');
await import('@nestjs/platform-express');
await settle();
const before = process.memoryUsage().rss;
await import(process.argv[2]);
await settle();
const after = process.memoryUsage().rss;
process.stdout.write(`${JSON.stringify({ module: process.argv[2], addedMb: (after - before) / 2 ** 20, rssMb: after / 2 ** 20 })}\n`);
