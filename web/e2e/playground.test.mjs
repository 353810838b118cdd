// Browser tests of the playground page: the default scenario, stepping, the pool under
// DHCPRELEASE, exact step back, share links, bad links, the scenario picker, playback,
// the event log and the packet inspector; the narration at two screen sizes, a run cut at
// the step limit, odd scenarios (a long title, one address, no steps), the layout at
// narrow widths, fast playback and the keyboard. Every expectation is read from the page
// itself (the DOM contract in the architecture notes), never from canned values in the app.
//
// A safety violation cannot be shown here: no scenario the engine runs breaks a safety
// property yet. The UI crate's wasm tests (crates/ui/tests/browser.rs) mount the narration,
// the event log and the scrubber marks with a hand-made violation instead.

import { deflateRawSync } from 'node:zlib';
import {
  assert,
  assertNoErrors,
  scrubTo,
  stepIndex,
  waitForStep,
  withPage,
} from './page.mjs';

/** Presses → once and waits for the step to advance. */
async function forward(page) {
  const before = await stepIndex(page);
  await page.keyboard.press('ArrowRight');
  await waitForStep(page, before + 1);
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

/** A scenario of one client on ten-second leases for 30 days: far more steps than a run follows. */
function endless() {
  return {
    title: 'Renewing for a month',
    end: 30 * 86400,
    failover: { mclt: '10s' },
    pool: { subnet: '10.0.0.0/24', range: ['10.0.0.10', '10.0.0.20'] },
    lease: { default: '10s', min: '10s', max: '10s' },
    client: [{ name: 'a', mac: '02:00:00:00:00:01' }],
    event: [{ at: 0, client: 'a', action: 'boot' }],
  };
}

/** A scenario with a one-address pool, no clients and so no steps at all. */
function still(title = 'Nothing happens') {
  return { title, pool: { subnet: '10.0.0.0/24', range: ['10.0.0.10', '10.0.0.10'] } };
}

/** Fails unless the page is no wider than the window. */
async function assertNoSideScroll(page) {
  const { scroll, width } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    width: window.innerWidth,
  }));
  assert(scroll <= width, `the page is ${scroll} px wide in a ${width} px window`);
}

/** Where the narration and its sentences are, and whether it hides anything. */
async function narrationLayout(page) {
  return page.evaluate(() => {
    const narration = document.querySelector('#narration');
    const box = narration.getBoundingClientRect();
    const sentences = [...narration.querySelectorAll('.narr-summary, .narr-whys li')].map((el) => {
      const r = el.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, text: el.textContent.slice(0, 40) };
    });
    return {
      top: box.top,
      bottom: box.bottom,
      overflowY: getComputedStyle(narration).overflowY,
      hidden: narration.scrollHeight - narration.clientHeight,
      whys: narration.querySelectorAll('.narr-whys li').length,
      sentences,
    };
  });
}

/** Whether two elements' boxes overlap. */
async function overlap(page, a, b) {
  return page.evaluate(([a, b]) => {
    const r = document.querySelector(a).getBoundingClientRect();
    const s = document.querySelector(b).getBoundingClientRect();
    return r.left < s.right && s.left < r.right && r.top < s.bottom && s.top < r.bottom;
  }, [a, b]);
}

/** Words in the inspector's field names that the browser split over two lines. */
async function brokenLabelWords(page) {
  return page.evaluate(() => {
    const broken = [];
    for (const th of document.querySelectorAll('#packet-inspector th, #packet-inspector caption')) {
      const text = th.firstChild;
      if (!text || text.nodeType !== Node.TEXT_NODE) continue;
      for (const m of text.data.matchAll(/[A-Za-z]+/g)) {
        const range = document.createRange();
        range.setStart(text, m.index);
        range.setEnd(text, m.index + m[0].length);
        const lines = [...range.getClientRects()].filter((r) => r.width > 0).length;
        if (lines > 1) broken.push(m[0]);
      }
    }
    return broken;
  });
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
    name: 'a link with a bad step keeps its scenario and says why',
    async fn() {
      for (const [fragment, want, step] of [
        ['#split-brain.abc', 'not a number', 0],
        ['#split-brain.99999', 'asks for step 99999', null],
      ]) {
        await withPage(`/${fragment}`, async (ctx) => {
          const { page } = ctx;
          const banner = page.locator('#error-banner');
          await banner.waitFor();
          const message = await banner.innerText();
          assert(message.includes(want), `${fragment}: ${message}`);
          const picked = await page.locator('#scenario-picker').inputValue();
          assert(picked === 'split-brain', `${fragment}: the scenario was dropped (${picked})`);
          if (step !== null) {
            assert((await stepIndex(page)) === step, `${fragment}: not at step ${step}`);
          }
          assertNoErrors(ctx);
        });
      }
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
        for (const field of ['BNDUPD', 'binding-status (3)', 'potential-expiration-time (18)', 'xid']) {
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
  {
    name: 'every sentence of step 39 shows at 1400x900 and 1024x768, none behind a scroll bar',
    async fn() {
      await withPage('/#dhcprelease.39', async (ctx) => {
        const { page } = ctx;
        for (const [width, height] of [[1400, 900], [1024, 768]]) {
          await page.setViewportSize({ width, height });
          await waitForStep(page, 39);
          const layout = await narrationLayout(page);
          assert(layout.whys >= 5, `only ${layout.whys} reasons at step 39`);
          assert(!['auto', 'scroll', 'hidden'].includes(layout.overflowY), `narration overflow ${layout.overflowY}`);
          assert(layout.hidden <= 1, `${layout.hidden} px of the narration hidden at ${width}`);
          for (const s of layout.sentences) {
            assert(s.top >= layout.top && s.bottom <= layout.bottom, `"${s.text}" outside the narration`);
          }
          if (width === 1400) {
            const last = layout.sentences[layout.sentences.length - 1];
            assert(last.bottom <= height, `the last reason ends at ${last.bottom} px, below the first screen`);
          }
          await assertNoSideScroll(page);
          await ctx.shot(`step39-${width}x${height}`);
        }
        assertNoErrors(ctx);
      });
    },
  },
  {
    name: 'a run cut at the step limit says so, and up to which time it was followed',
    async fn() {
      await withPage(`/${shareFragment(endless(), 0)}`, async (ctx) => {
        const { page } = ctx;
        assert((await page.locator('#error-banner').count()) === 0, 'the long scenario was refused');
        const notice = page.locator('#truncated-notice');
        await notice.waitFor();
        const total = Number(await page.locator('#step-total').innerText());
        await page.keyboard.press('End');
        await waitForStep(page, total);
        const text = await notice.innerText();
        const clock = await page.locator('#clock').innerText();
        assert(text.includes('more steps than the page follows'), `notice: ${text}`);
        assert(text.includes(total.toLocaleString('en-US')), `notice does not give ${total}: ${text}`);
        assert(text.includes(clock), `notice does not say the run was followed to ${clock}: ${text}`);
        assert(text.includes('720:00:00'), `notice does not give the scenario's end: ${text}`);
        const gap = await page.locator('#gap').innerText();
        assert(gap === 'run cut here', `the last step says "${gap}"`);
        const narration = await page.locator('#narration').innerText();
        assert(narration.includes('stops following the run here'), 'the narration pretends the run ended');
        assert(!narration.includes('end of run'), 'the narration says end of run');
        const note = await page.locator('.log .panel-note').innerText();
        assert(note.startsWith('the first'), `event log note: ${note}`);
        assertNoErrors(ctx);
      });
    },
  },
  {
    name: 'odd scenarios: a long title stays on one line, one address, a run without steps',
    async fn() {
      const title = 'x'.repeat(200);
      await withPage(`/${shareFragment(still(title), 0)}`, async (ctx) => {
        const { page } = ctx;
        assert((await page.locator('#error-banner').count()) === 0, 'a 200-character title was refused');
        const heading = page.locator('.intro-title');
        assert((await heading.getAttribute('title')) === title, 'the full title is not in the tooltip');
        await assertNoSideScroll(page);
        const note = await page.locator('.pool .panel-note').innerText();
        assert(note.startsWith('1 address ·'), `pool note: ${note}`);
        for (const id of ['#play', '#step-forward', '#to-end']) {
          assert(await page.locator(id).isDisabled(), `${id} is enabled with nothing to play`);
        }
        assert((await page.locator('#gap').innerText()) === 'nothing to play', 'the readout does not say so');
        const hint = await page.locator('#narr-hint').innerText();
        assert(hint.includes('nothing to play'), `narration: ${hint}`);
        await page.keyboard.press(' ');
        await page.waitForTimeout(300);
        assert((await page.locator('#play').getAttribute('aria-pressed')) === 'false', 'space started playback');
        assertNoErrors(ctx);
      });
      await withPage(`/${shareFragment(still('y'.repeat(100_000)), 0)}`, async (ctx) => {
        const { page } = ctx;
        const banner = await page.locator('#error-banner').innerText();
        assert(banner.includes('title'), `the refusal does not name the title: ${banner}`);
        await assertNoSideScroll(page);
        assertNoErrors(ctx);
      });
    },
  },
  {
    name: 'narrow screens: counts keep their words, the speed never covers the counter, labels wrap between words',
    async fn() {
      await withPage('/#dhcprelease.39', async (ctx) => {
        const { page } = ctx;
        for (const width of [1024, 1100, 1180]) {
          await page.setViewportSize({ width, height: 768 });
          await waitForStep(page, 39);
          assert(!(await overlap(page, '#speed', '.counter')), `speed covers the counter at ${width}`);
          assert(!(await overlap(page, '#speed', '#clock')), `speed covers the clock at ${width}`);
          const counts = await page.locator('[data-node="secondary"] .counts').textContent();
          for (const word of ['free', 'active', 'released', 'backup']) {
            assert(counts.includes(word), `the secondary's counts lack "${word}" at ${width}: ${counts}`);
          }
        }
        await page.setViewportSize({ width: 1024, height: 768 });
        await page.locator('#narration .chip', { hasText: 'BNDUPD' }).first().click();
        const inspector = await page.locator('#packet-inspector').innerText();
        assert(inspector.includes('binding-status (3)'), 'failover options lack their draft-12 names');
        const broken = await brokenLabelWords(page);
        assert(broken.length === 0, `field names broken inside words: ${broken.join(', ')}`);
        assertNoErrors(ctx);
      });
    },
  },
  {
    name: '16x plays fast; Escape closes Share; event-log lines work from the keyboard',
    async fn() {
      await withPage('/', async (ctx) => {
        const { page } = ctx;
        const speeds = await page.locator('#speed option').evaluateAll((o) => o.map((x) => x.value));
        for (const want of ['8', '16']) assert(speeds.includes(want), `no ${want}x speed: ${speeds}`);
        await page.locator('#speed').selectOption('16');
        await page.locator('#play').click();
        await page.waitForTimeout(1500);
        await page.locator('#play').click();
        const played = await stepIndex(page);
        assert(played >= 12, `16x played only ${played} steps in 1.5 s`);

        await page.locator('#share').click();
        await page.locator('#share-url').waitFor();
        await page.keyboard.press('Escape');
        await page.locator('.share-pop').waitFor({ state: 'detached', timeout: 2000 });

        await page.keyboard.press('Home');
        await waitForStep(page, 0);
        const row = page.locator('#event-log li[data-step="5"] button');
        await row.focus();
        assert(await row.evaluate((b) => b === document.activeElement && b.tabIndex >= 0), 'row not focusable');
        await page.keyboard.press('Enter');
        await waitForStep(page, 5);
        await page.keyboard.press('Tab');
        await page.keyboard.press('Enter');
        await waitForStep(page, 6);

        // A click on a line leaves the space bar to play and pause.
        await page.locator('#event-log li[data-step="3"]').click();
        await waitForStep(page, 3);
        await page.keyboard.press(' ');
        await page.waitForFunction(() => document.querySelector('#play').getAttribute('aria-pressed') === 'true');
        await page.keyboard.press(' ');
        await page.waitForFunction(() => document.querySelector('#play').getAttribute('aria-pressed') === 'false');
        assertNoErrors(ctx);
      });
    },
  },
];
