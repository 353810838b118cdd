// Browser tests of the playground page: the default scenario, stepping, the pool under
// DHCPRELEASE, exact step back, share links, bad links, the scenario picker, playback,
// the event log and the packet inspector. Every expectation is read from the page itself
// (the DOM contract in the architecture notes), never from canned values in the app.

import { deflateRawSync } from 'node:zlib';
import { close, openPage } from './harness.mjs';

/** Throws with `message` unless `condition` holds. */
function assert(condition, message) {
  if (!condition) throw new Error(message);
}

/** Throws when the page reported any error or console error. */
function assertNoErrors(ctx) {
  assert(ctx.errors.length === 0, `errors on the page: ${ctx.errors.join(' | ')}`);
}

/** Opens `path`, waits for the app, runs `body`, and always closes the browser. */
async function withPage(path, body) {
  const ctx = await openPage(path);
  try {
    await ctx.page.waitForSelector('#narration', { timeout: 30_000 });
    await body(ctx);
  } finally {
    await close(ctx);
  }
}

/** The number in `#step-index`. */
async function stepIndex(page) {
  return Number(await page.locator('#step-index').innerText());
}

/** Waits until `#step-index` shows `n`. */
async function waitForStep(page, n) {
  await page.waitForFunction(
    (want) => document.querySelector('#step-index')?.textContent.trim() === String(want),
    n,
    { timeout: 10_000 },
  );
}

/** Presses → once and waits for the step to advance. */
async function forward(page) {
  const before = await stepIndex(page);
  await page.keyboard.press('ArrowRight');
  await waitForStep(page, before + 1);
}

/** Goes to step `n` with the scrubber. */
async function scrubTo(page, n) {
  await page.locator('#scrubber').fill(String(n));
  await waitForStep(page, n);
}

/** The binding state of `address` in `server`'s row of the pool. */
async function binding(page, server, address) {
  const cell = page.locator(`.pool-cell[data-server="${server}"][data-address="${address}"]`);
  return cell.getAttribute('data-binding');
}

/** Everything the page shows about the world: pool, clients, clock, narration. */
async function pageState(page) {
  return page.evaluate(() => ({
    cells: [...document.querySelectorAll('.pool-cell')].map(
      (c) => `${c.dataset.server} ${c.dataset.address} ${c.dataset.binding}`,
    ),
    clients: [...document.querySelectorAll('[data-client]')].map(
      (c) => `${c.dataset.client} ${c.dataset.state} ${c.innerText}`,
    ),
    clock: document.querySelector('#clock').textContent,
    step: document.querySelector('#step-index').textContent,
    narration: document.querySelector('#narration').innerText,
    model: JSON.stringify(window.dhcpfo.snapshot()),
  }));
}

/** A client's state, address and granting server, from the clients table. */
async function clientRow(page, name) {
  const row = page.locator(`tr[data-client="${name}"]`);
  const cells = await row.locator('> *').allInnerTexts();
  return { state: await row.getAttribute('data-state'), address: cells[3], server: cells[4] };
}

/** A share fragment for `scenario` (compact JSON, raw DEFLATE, base64url) at `step`. */
function shareFragment(scenario, step) {
  const payload = deflateRawSync(Buffer.from(JSON.stringify(scenario)), { level: 9 });
  return `#v1.${payload.toString('base64url')}.${step}`;
}

/** A scenario with `n` clients that boot one second apart; every third one releases. */
function crowd(n) {
  const client = [];
  const event = [];
  for (let i = 0; i < n; i += 1) {
    const name = `host${i}`;
    client.push({ name, mac: `02:00:00:00:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}` });
    event.push({ at: i, client: name, action: 'boot' });
    if (i % 3 === 0) event.push({ at: 900 + i, client: name, action: 'release' });
  }
  return {
    title: `A crowd of ${n}`,
    failover: { mclt: '1h', split: 128, load_balance_max_seconds: 3 },
    pool: { subnet: '10.0.0.0/16', range: ['10.0.1.0', '10.0.2.255'] },
    lease: { default: '1h', min: '1h', max: '1h' },
    client,
    event,
  };
}

export const tests = [
  {
    name: 'the page renders the default scenario dhcprelease at step 0',
    async fn() {
      await withPage('/', async (ctx) => {
        const { page } = ctx;
        assert((await page.locator('#scenario-picker').inputValue()) === 'dhcprelease', 'picker is not on dhcprelease');
        assert((await stepIndex(page)) === 0, 'not at step 0');
        const total = Number(await page.locator('#step-total').innerText());
        assert(total > 30, `only ${total} steps`);
        assert((await page.locator('.pool-cell').count()) === 40, 'expected 20 addresses on two rows');
        assert((await page.locator('[data-client="laptop"][data-state="off"]').count()) === 1, 'laptop is not off');
        assert((await page.locator('[data-client="desktop"][data-state="off"]').count()) === 1, 'desktop is not off');
        assert((await page.locator('#clock').innerText()).startsWith('00:00:00'), 'clock is not at 00:00:00');
        assert(new URL(page.url()).hash.startsWith('#v1.'), `fragment is not a share link: ${page.url()}`);
        assert((await page.locator('#error-banner').count()) === 0, 'error banner on a clean load');
        await ctx.shot('playground-start');
        assertNoErrors(ctx);
      });
    },
  },
  {
    name: 'stepping forward reaches the release at 00:33:27',
    async fn() {
      await withPage('/', async (ctx) => {
        const { page } = ctx;
        let sawBound = false;
        for (let i = 0; i < 200; i += 1) {
          await forward(page);
          sawBound ||= (await page.locator('[data-client="laptop"][data-state="bound"]').count()) === 1;
          const narration = await page.locator('#narration').innerText();
          if (narration.includes('DHCPRELEASE') && narration.includes('laptop releases')) break;
        }
        assert(sawBound, 'laptop was never bound before the release');
        const clock = await page.locator('#clock').innerText();
        assert(clock.startsWith('00:33:27'), `release at ${clock}, not 00:33:27`);
        assert((await page.locator('[data-client="laptop"][data-state="off"]').count()) === 1, 'laptop still holds a lease');
        const log = page.locator(`#event-log li[data-step="${await stepIndex(page)}"]`);
        assert((await log.getAttribute('class')).includes('current'), 'log does not mark the current step');
        assertNoErrors(ctx);
      });
    },
  },
  {
    name: 'DHCPRELEASE: released on the releasing server, then free; the secondary client\'s address ends backup',
    async fn() {
      await withPage('/', async (ctx) => {
        const { page } = ctx;
        const total = Number(await page.locator('#step-total').innerText());
        let laptop = null;
        let desktop = null;
        const history = [];
        let shot = false;
        for (let n = 1; n <= total; n += 1) {
          await forward(page);
          const l = await clientRow(page, 'laptop');
          const d = await clientRow(page, 'desktop');
          if (!laptop && l.state === 'bound') laptop = l;
          if (!desktop && d.state === 'bound') desktop = d;
          if (!laptop || !desktop) continue;
          const row = {};
          for (const [key, addr] of [['l', laptop.address], ['d', desktop.address]]) {
            for (const server of ['primary', 'secondary']) {
              row[`${key}.${server}`] = await binding(page, server, addr);
            }
            const differs = row[`${key}.primary`] !== row[`${key}.secondary`];
            const column = page.locator(`.pool-col:has(.pool-cell[data-address="${addr}"])`);
            const marked = (await column.getAttribute('class')).includes('differs');
            assert(differs === marked, `step ${n}: column ${addr} differs=${differs} but highlighted=${marked}`);
          }
          history.push(row);
          if (row['l.secondary'] === 'released' && !shot) {
            // The moment of the question: the release is in, the BNDUPD is on its way.
            await page.waitForTimeout(1000);
            await ctx.shot('playground');
            shot = true;
          }
        }
        assert(shot, 'the laptop\'s address never went released on the secondary');
        assert(laptop.server === 'secondary' && desktop.server === 'primary', 'clients hash to the wrong servers');
        assert(laptop.address === '192.0.2.19' && desktop.address === '192.0.2.20', 'unexpected addresses');
        const sequence = (key) => history.map((row) => row[key]).filter((s, i, a) => i === 0 || a[i - 1] !== s);
        const releasedThenFree = (key) => {
          const seq = sequence(key);
          const r = seq.indexOf('released');
          return r >= 0 && seq.indexOf('free', r) > r;
        };
        assert(releasedThenFree('l.secondary'), `laptop's address on the secondary: ${sequence('l.secondary')}`);
        assert(releasedThenFree('d.primary'), `desktop's address on the primary: ${sequence('d.primary')}`);
        const last = history[history.length - 1];
        assert(last['l.primary'] === 'backup' && last['l.secondary'] === 'backup', `laptop's address ends ${JSON.stringify(last)}`);
        assert(last['d.primary'] === 'free' && last['d.secondary'] === 'free', `desktop's address ends ${JSON.stringify(last)}`);
        assertNoErrors(ctx);
      });
    },
  },
  {
    name: 'step back returns exactly to the earlier state',
    async fn() {
      await withPage('/', async (ctx) => {
        const { page } = ctx;
        await scrubTo(page, 36);
        const before = await pageState(page);
        for (let i = 0; i < 5; i += 1) await forward(page);
        const later = await pageState(page);
        assert(JSON.stringify(later.cells) !== JSON.stringify(before.cells), 'five steps changed no lease');
        for (let i = 0; i < 5; i += 1) {
          const n = await stepIndex(page);
          await page.locator('#step-back').click();
          await waitForStep(page, n - 1);
        }
        const after = await pageState(page);
        for (const key of Object.keys(before)) {
          assert(JSON.stringify(after[key]) === JSON.stringify(before[key]), `${key} differs after stepping back`);
        }
        assertNoErrors(ctx);
      });
    },
  },
  {
    name: 'a shared URL restores the same scenario and step in a fresh page',
    async fn() {
      let link = null;
      let expected = null;
      await withPage('/', async (ctx) => {
        const { page } = ctx;
        await page.locator('#scenario-picker').selectOption('isc-release');
        await page.waitForSelector('[data-client="c1"]');
        await scrubTo(page, 17);
        await page.locator('#share').click();
        const field = page.locator('#share-url');
        await field.waitFor();
        link = await field.inputValue();
        assert(link === page.url(), `share field ${link} is not the page URL ${page.url()}`);
        expected = await pageState(page);
        assertNoErrors(ctx);
      });
      const url = new URL(link);
      await withPage(url.pathname + url.hash, async (ctx) => {
        const { page } = ctx;
        assert((await page.locator('#scenario-picker').inputValue()) === 'isc-release', 'another scenario opened');
        const got = await pageState(page);
        for (const key of Object.keys(expected)) {
          assert(JSON.stringify(got[key]) === JSON.stringify(expected[key]), `${key} differs in the new page`);
        }
        assertNoErrors(ctx);
      });
    },
  },
  {
    name: 'a garbage fragment shows #error-banner and the default scenario',
    async fn() {
      await withPage('/#v1.%%%', async (ctx) => {
        const { page } = ctx;
        const banner = page.locator('#error-banner');
        await banner.waitFor();
        const message = await banner.innerText();
        assert(message.includes('link'), `unclear message: ${message}`);
        assert((await page.locator('#scenario-picker').inputValue()) === 'dhcprelease', 'default scenario not shown');
        assert((await page.locator('.pool-cell').count()) === 40, 'pool not shown');
        await banner.getByRole('button', { name: 'Dismiss' }).click();
        await banner.waitFor({ state: 'detached' });
        assertNoErrors(ctx);
      });
    },
  },
  {
    name: 'an invalid scenario in a link shows the error and the default scenario',
    async fn() {
      await withPage('/#v9.abc.1', async (ctx) => {
        const { page } = ctx;
        await page.locator('#error-banner').waitFor();
        assert((await page.locator('#scenario-picker').inputValue()) === 'dhcprelease', 'default scenario not shown');
        assertNoErrors(ctx);
      });
    },
  },
  {
    name: 'picking another built-in scenario works',
    async fn() {
      await withPage('/', async (ctx) => {
        const { page } = ctx;
        const oldHash = new URL(page.url()).hash;
        await page.locator('#scenario-picker').selectOption('isc-expiry');
        await page.waitForSelector('[data-client="c2"]');
        assert((await page.locator('.pool-cell[data-address="10.77.0.100"]').count()) === 2, 'new pool not shown');
        assert((await stepIndex(page)) === 0, 'new scenario does not start at step 0');
        await page.keyboard.press('End');
        const total = await page.locator('#step-total').innerText();
        await waitForStep(page, Number(total));
        assert(new URL(page.url()).hash !== oldHash, 'fragment did not follow the scenario');
        const narration = await page.locator('#narration').innerText();
        assert(narration.length > 20, 'no narration at the end');
        assertNoErrors(ctx);
      });
    },
  },
  {
    name: 'play advances on its own; space pauses',
    async fn() {
      await withPage('/', async (ctx) => {
        const { page } = ctx;
        await page.locator('#speed').selectOption('4');
        await page.locator('#play').click();
        assert((await page.locator('#play').getAttribute('aria-pressed')) === 'true', 'play is not pressed');
        await page.waitForFunction(() => Number(document.querySelector('#step-index').textContent) >= 3);
        await page.locator('body').click({ position: { x: 5, y: 880 } });
        await page.keyboard.press(' ');
        await page.waitForFunction(() => document.querySelector('#play').getAttribute('aria-pressed') === 'false');
        const paused = await stepIndex(page);
        await page.waitForTimeout(600);
        assert((await stepIndex(page)) === paused, 'still playing after pause');
        assertNoErrors(ctx);
      });
    },
  },
  {
    name: 'the event log jumps on click and the inspector shows every field',
    async fn() {
      await withPage('/', async (ctx) => {
        const { page } = ctx;
        await scrubTo(page, 30);
        const rows = await page.locator('#event-log li[data-step]').count();
        const total = Number(await page.locator('#step-total').innerText());
        assert(rows > 0 && rows <= total, `log shows ${rows} rows`);
        await page.locator('#event-log li[data-step="35"]').click();
        await waitForStep(page, 35);
        await page.locator('#narration .chip', { hasText: 'DHCPRELEASE' }).click();
        const inspector = await page.locator('#packet-inspector').innerText();
        for (const field of ['xid', 'ciaddr', 'yiaddr', 'chaddr', '53 message type', '54 server identifier']) {
          assert(inspector.includes(field), `inspector lacks ${field}`);
        }
        assert(inspector.includes('DHCPRELEASE'), 'inspector shows another packet');
        assertNoErrors(ctx);
      });
    },
  },
  {
    name: 'a fragment typed into the address bar opens that scenario and step',
    async fn() {
      await withPage('/', async (ctx) => {
        const { page } = ctx;
        await page.evaluate(() => { window.location.hash = '#isc-expiry.5'; });
        await waitForStep(page, 5);
        assert((await page.locator('#scenario-picker').inputValue()) === 'isc-expiry', 'picker did not follow');
        assert((await page.locator('[data-client="c1"]').count()) === 1, 'clients of isc-expiry not shown');
        assertNoErrors(ctx);
      });
    },
  },
  {
    name: 'clicking a packet in flight opens it in the inspector',
    async fn() {
      await withPage('/', async (ctx) => {
        const { page } = ctx;
        await scrubTo(page, 12);
        const flights = page.locator('#topology .flight');
        assert((await flights.count()) >= 2, 'step 12 should send a BNDUPD and a DHCPACK');
        await page.waitForTimeout(800);
        await flights.filter({ hasText: 'BNDUPD' }).first().click();
        const inspector = await page.locator('#packet-inspector').innerText();
        for (const field of ['BNDUPD', '3 binding status', '18 potential expiration time', 'xid']) {
          assert(inspector.includes(field), `inspector lacks ${field}`);
        }
        assertNoErrors(ctx);
      });
    },
  },
  {
    name: 'a crowd of 200 clients loads, plays, and keeps the log to a window',
    async fn() {
      await withPage(`/${shareFragment(crowd(200), 0)}`, async (ctx) => {
        const { page } = ctx;
        assert((await page.locator('#error-banner').count()) === 0, 'the crowd scenario was refused');
        const total = Number(await page.locator('#step-total').innerText());
        assert(total > 1000, `only ${total} steps`);
        assert((await page.locator('#topology [data-node^="host"]').count()) === 200, 'not every client drawn');
        await scrubTo(page, Math.floor(total / 2));
        const rows = await page.locator('#event-log li[data-step]').count();
        assert(rows > 5 && rows < 100, `${rows} log rows in the DOM`);
        const current = page.locator(`#event-log li[data-step="${Math.floor(total / 2)}"]`);
        assert((await current.count()) === 1, 'current step not in the log window');
        await page.locator('#speed').selectOption('4');
        await page.locator('#play').click();
        const start = await stepIndex(page);
        await page.waitForFunction((s) => Number(document.querySelector('#step-index').textContent) >= s + 5, start);
        await page.locator('#play').click();
        await ctx.shot('playground-crowd');
        assertNoErrors(ctx);
      });
    },
  },
];
