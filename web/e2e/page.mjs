// Helpers the browser tests share: assertions, opening the page and waiting for the
// app, and reading or moving the step counter.

import { close, openPage } from './harness.mjs';

/** Throws with `message` unless `condition` holds. */
export function assert(condition, message) {
  if (!condition) throw new Error(message);
}

/** Throws when the page reported any error or console error. */
export function assertNoErrors(ctx) {
  assert(ctx.errors.length === 0, `errors on the page: ${ctx.errors.join(' | ')}`);
}

/**
 * Opens `path`, waits for the app, runs `body`, and always closes the browser. `prepare` is
 * handed to `openPage`: it sees the browser context before the page opens.
 */
export async function withPage(path, body, prepare = undefined) {
  const ctx = await openPage(path, prepare);
  try {
    await ctx.page.waitForSelector('#narration', { timeout: 30_000 });
    await body(ctx);
  } finally {
    await close(ctx);
  }
}

/** The number in `#step-index`. */
export async function stepIndex(page) {
  return Number(await page.locator('#step-index').innerText());
}

/** Waits until `#step-index` shows `n`. */
export async function waitForStep(page, n) {
  await page.waitForFunction(
    (want) => document.querySelector('#step-index')?.textContent.trim() === String(want),
    n,
    { timeout: 10_000 },
  );
}

/** Goes to step `n` with the scrubber and waits for the counter to show it. */
export async function scrubTo(page, n) {
  await page.locator('#scrubber').fill(String(n));
  await waitForStep(page, n);
}
