// Browser harness for the end-to-end tests: opens the served playground in Debian's headless
// Chromium through playwright-core, records page errors, and takes screenshots.
//
// BASE_URL (set by `cargo xtask test`) must point at 127.0.0.1; the harness refuses anything
// else, and the browser context aborts every request to another host, so a test can only
// ever reach the local static server.

import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

/** The only host a test may contact. */
const LOOPBACK = '127.0.0.1';

/** Where `shot(name)` writes its PNG files: web/test-results/. */
const RESULTS_DIR = fileURLToPath(new URL('../test-results/', import.meta.url));

/** Chromium switches: headless, no sandbox (we run as root), and no background traffic. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The page size every test sees, so screenshots are comparable. */
const VIEWPORT = { width: 1400, height: 900 };

/**
 * The server under test, from BASE_URL; throws unless it is an http URL on 127.0.0.1.
 * @returns {URL}
 */
export function baseUrl() {
  const raw = process.env.BASE_URL;
  if (!raw) {
    throw new Error('BASE_URL is not set (run the tests with `cargo xtask test`)');
  }
  const url = new URL(raw);
  if (url.protocol !== 'http:' || url.hostname !== LOOPBACK) {
    throw new Error(`BASE_URL must be http://${LOOPBACK}:PORT/, not ${raw}`);
  }
  return url;
}

/** Whether a request leaves the machine: http(s) or ws(s) to any host but 127.0.0.1. */
function leavesLoopback(url) {
  const network = ['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol);
  return network && url.hostname !== LOOPBACK;
}

/**
 * Opens `path` (relative to BASE_URL) in a fresh browser profile. `prepare`, when given, runs
 * with the browser context before the page is opened (to watch or route its requests).
 * @param {string} path
 * @param {(context: import('playwright-core').BrowserContext) => Promise<void>} [prepare]
 * @returns {Promise<{page: import('playwright-core').Page,
 *   context: import('playwright-core').BrowserContext, errors: string[],
 *   shot: (name: string) => Promise<string>, profileDir: string}>}
 */
export async function openPage(path = '/', prepare = undefined) {
  const target = new URL(path, baseUrl());
  const profileDir = await mkdtemp(join(tmpdir(), 'dhcpfo-e2e-'));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: VIEWPORT,
  });
  await context.route(leavesLoopback, (route) => route.abort('blockedbyclient'));
  if (prepare) await prepare(context);
  const page = context.pages()[0] ?? (await context.newPage());
  const errors = [];
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console error: ${message.text()}`);
  });
  const shot = async (name) => {
    await mkdir(RESULTS_DIR, { recursive: true });
    const file = join(RESULTS_DIR, `${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    return file;
  };
  await page.goto(target.href, { waitUntil: 'load' });
  return { page, context, errors, shot, profileDir };
}

/**
 * Closes the browser of `openPage` and deletes its throwaway profile.
 * @param {{context: import('playwright-core').BrowserContext, profileDir: string}} ctx
 */
export async function close(ctx) {
  if (!ctx) return;
  await ctx.context.close();
  await rm(ctx.profileDir, { recursive: true, force: true });
}
