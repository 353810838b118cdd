// Browser tests of the on-demand tools module: the dhcpd.conf importer and the file writers
// run in a web worker (dhcpfo-tools) that the page must not fetch while it loads, only when
// someone first imports or downloads; and a tools module that cannot load gives a sentence,
// never a blank page or a dialog that waits for ever.

import { assert, assertNoErrors, withPage } from './page.mjs';

/** Every file of the tools module starts with this (Trunk names a worker after its bin). */
const TOOLS = 'dhcpfo-tools';

/** A configuration the importer takes: one failover pool of eleven addresses. */
const SMALL_CONF = [
  'failover peer "pair" {',
  '  primary;',
  '  address 10.1.0.1;',
  '  peer address 10.1.0.2;',
  '  mclt 600;',
  '  split 128;',
  '}',
  'subnet 10.1.0.0 netmask 255.255.255.0 {',
  '  pool { failover peer "pair"; range 10.1.0.10 10.1.0.20; }',
  '}',
  '',
].join('\n');

/** A `prepare` hook for `withPage` that records the path of every tools file requested. */
function watchTools(seen) {
  return async (context) => {
    context.on('request', (request) => {
      const path = new URL(request.url()).pathname;
      if (path.includes(TOOLS)) seen.push(path);
    });
  };
}

export const tests = [
  {
    name: 'the tools module is not fetched with the page, only on the first import',
    async fn() {
      const seen = [];
      await withPage('/', async (ctx) => {
        const { page } = ctx;
        await page.locator('.pool-cell').first().waitFor();
        // Let the page settle: playback, the address bar and idle work all had their turn.
        await page.waitForTimeout(1500);
        assert(seen.length === 0, `fetched with the page: ${seen.join(', ')}`);
        await page.locator('#import-conf').click();
        await page.locator('#conf-text').fill(SMALL_CONF);
        await page.locator('#conf-import').click();
        await page.locator('#conf-result').waitFor();
        const cells = await page.locator('.pool-cell[data-server="primary"]').count();
        assert(cells === 11, `${cells} addresses after the import`);
        for (const file of [`${TOOLS}_loader.js`, `${TOOLS}.js`, `${TOOLS}_bg.wasm`]) {
          assert(seen.some((path) => path.endsWith(`/${file}`)), `${file} never fetched`);
        }
        assertNoErrors(ctx);
      }, watchTools(seen));
    },
  },
  {
    name: 'the Download menu starts the tools, and they are fetched once for all downloads',
    async fn() {
      const seen = [];
      await withPage('/', async (ctx) => {
        const { page } = ctx;
        await page.waitForTimeout(1000);
        assert(seen.length === 0, `fetched with the page: ${seen.join(', ')}`);
        for (const id of ['#download-pcap', '#download-leases-primary']) {
          await page.locator('#download-menu').click();
          await page.locator('#download-pop').waitFor();
          const saved = page.waitForEvent('download');
          await page.locator(id).click();
          const file = await saved;
          assert(file.suggestedFilename().startsWith('dhcprelease'), file.suggestedFilename());
        }
        const wasm = seen.filter((path) => path.endsWith(`/${TOOLS}_bg.wasm`));
        assert(wasm.length === 1, `the tools' wasm fetched ${wasm.length} times`);
        assertNoErrors(ctx);
      }, watchTools(seen));
    },
  },
  {
    name: 'tools that cannot load give an error sentence in the dialog and leave the page working',
    async fn() {
      const block = async (context) => {
        await context.route(`**/${TOOLS}*`, (route) => route.fulfill({ status: 404, body: '' }));
      };
      await withPage('/', async (ctx) => {
        const { page } = ctx;
        await page.locator('#import-conf').click();
        await page.locator('#conf-text').fill(SMALL_CONF);
        await page.locator('#conf-import').click();
        const error = await page.locator('#conf-error').innerText();
        assert(error.includes('could not run'), `no sentence about the tools: ${error}`);
        await page.keyboard.press('Escape');
        await page.locator('#import-dialog').waitFor({ state: 'detached' });
        assert((await page.locator('.pool-cell').count()) === 40, 'the scenario changed');
        // The failed load is reported in words; only the browser's own 404 lines may remain.
        const browserOwn = (e) => e.includes('404') || e.includes('Failed to load');
        const others = ctx.errors.filter((e) => !browserOwn(e));
        assert(others.length === 0, `errors on the page: ${others.join(' | ')}`);
      }, block);
    },
  },
];
