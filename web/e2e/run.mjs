// Runs every web/e2e/*.test.mjs file. Each exports `tests`, an array of { name, fn } where
// `fn` is an async function that throws on failure. Tests run one at a time, each with a
// time limit; the output is one `ok - NAME` or `not ok - NAME: MESSAGE` line per test and a
// last line `N passed, M failed`. The exit code is 1 when any test failed.
//
// Usage: BASE_URL=http://127.0.0.1:PORT/ node web/e2e/run.mjs [FILTER]
// where FILTER, when given, keeps only tests whose file name or test name contains it.
// (`cargo xtask test` builds the release bundle, serves it and sets BASE_URL.)

import { readdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { baseUrl } from './harness.mjs';

/** The longest a single test may run. */
const TEST_TIMEOUT_MS = 60_000;

/** This directory, where the test files live. */
const E2E_DIR = fileURLToPath(new URL('.', import.meta.url));

/** Loads every test file, in name order; returns their tests in order, each with its file. */
async function loadTests() {
  const files = (await readdir(E2E_DIR)).filter((name) => name.endsWith('.test.mjs')).sort();
  const tests = [];
  for (const file of files) {
    const module = await import(pathToFileURL(join(E2E_DIR, file)).href);
    if (!Array.isArray(module.tests)) {
      throw new Error(`${file} does not export a \`tests\` array`);
    }
    tests.push(...module.tests.map((test) => ({ ...test, file })));
  }
  return tests;
}

/** Runs `fn`, failing it when it takes longer than `ms`. */
async function withTimeout(fn, ms) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms / 1000} s`)), ms);
  });
  try {
    await Promise.race([fn(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The first line of an error, for the report. */
function describe(error) {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0];
}

/** Runs the tests one by one and prints the report; returns the number of failures. */
async function runTests(tests) {
  let passed = 0;
  let failed = 0;
  for (const { name, fn } of tests) {
    try {
      await withTimeout(fn, TEST_TIMEOUT_MS);
      passed += 1;
      console.log(`ok - ${name}`);
    } catch (error) {
      failed += 1;
      console.log(`not ok - ${name}: ${describe(error)}`);
    }
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed;
}

async function main() {
  baseUrl(); // refuse to start unless BASE_URL is on 127.0.0.1
  const filter = process.argv[2] ?? '';
  const tests = (await loadTests()).filter(({ file, name }) => `${file} ${name}`.includes(filter));
  if (tests.length === 0) {
    console.log('no tests found');
    console.log('0 passed, 0 failed');
    return 1;
  }
  return (await runTests(tests)) > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`e2e runner: ${describe(error)}`);
    process.exit(1);
  },
);
