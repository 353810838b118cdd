// Trunk post-build hook (see Trunk.toml): in a release build, minifies every JavaScript file
// Trunk staged (the page's wasm-bindgen glue and its snippets, the tools worker's glue) with
// terser. Trunk's own minifier cannot parse the glue's `export { … as default }`, and the
// glue is part of what the page loads before its first paint.
//
// Reads TRUNK_PROFILE and TRUNK_STAGING_DIR, which Trunk sets for hooks. A debug build is
// left as it is. Exits non-zero, failing the build, when a file cannot be minified.

import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Whether the text is an ES module (the page's glue and snippets) rather than a script. */
function isModule(source) {
  return /^\s*(import|export)\b/m.test(source);
}

/** Every `.js` file under `dir`, depth first. */
async function scripts(dir) {
  const found = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await scripts(path)));
    else if (entry.name.endsWith('.js')) found.push(path);
  }
  return found;
}

async function main() {
  if (process.env.TRUNK_PROFILE !== 'release') return;
  const staging = process.env.TRUNK_STAGING_DIR;
  if (!staging) throw new Error('TRUNK_STAGING_DIR is not set: run this as a Trunk hook');
  // Loaded here, so a debug build needs no npm packages.
  const { minify } = await import('terser').catch(() => {
    throw new Error('terser is missing: run `npm ci` in web/ (cargo xtask does it for you)');
  });
  for (const path of await scripts(staging)) {
    const source = await readFile(path, 'utf8');
    const module = isModule(source);
    // A script's top-level names (the worker's `wasm_bindgen`) are its interface: keep them.
    const result = await minify(source, { module, toplevel: module, ecma: 2020 });
    if (typeof result.code !== 'string') throw new Error(`terser gave nothing for ${path}`);
    await writeFile(path, result.code);
  }
}

main().catch((error) => {
  console.error(`minify: ${error.message}`);
  process.exit(1);
});
