// Browser tests of faults and operator actions: a scenario opened from a share link cuts
// the server link one way, stops the secondary, declares partner-down on the primary and
// starts the secondary again. The page must show each server's failover state as a badge
// coloured by what it allows, the cut link with its blocked direction, a stopped server
// drawn down, operator steps marked, and lost packets vanishing with their reason.
// Steps are found by walking the run with `window.dhcpfo.goto` and reading the page, so
// the tests hold no step numbers that a change in the engine would shift.

import { deflateRawSync } from 'node:zlib';
import { assert, assertNoErrors, stepIndex, waitForStep, withPage } from './page.mjs';

/** The scenario, in the share link's JSON model. */
const FAULTS = {
  title: 'Faults: a one-way cut, a stopped secondary, partner-down',
  failover: { mclt: '5m' },
  pool: { subnet: '192.0.2.0/24', range: ['192.0.2.10', '192.0.2.19'] },
  lease: { default: '1h', ping_check: false },
  client: [
    { name: 'laptop', mac: '02:00:00:00:00:01' },
    { name: 'phone', mac: '02:00:00:00:00:04' },
  ],
  event: [
    { at: 10, client: 'laptop', action: 'boot' },
    { at: 30, action: 'cut-link-to-secondary' },
    { at: 40, client: 'phone', action: 'boot' },
    { at: 90, action: 'heal-link' },
    { at: 120, action: 'stop-secondary' },
    { at: 140, client: 'phone', action: 'reboot' },
    { at: 160, action: 'partner-down-primary' },
    { at: 170, action: 'drop-next-to-primary' },
    { at: 180, client: 'laptop', action: 'reboot' },
    { at: 400, action: 'start-secondary' },
  ],
};

/** A share fragment (compact JSON, raw DEFLATE, base64url) for `scenario` at `step`. */
function shareFragment(scenario, step) {
  const payload = deflateRawSync(Buffer.from(JSON.stringify(scenario)), { level: 9 });
  return `#v1.${payload.toString('base64url')}.${step}`;
}

/** Shows step `n` through the page's API and waits for it. */
async function goto(page, n) {
  await page.evaluate((want) => window.dhcpfo.goto(want), n);
  await waitForStep(page, n);
}

/** What the topology and the narration show about faults at the step shown. */
async function faultView(page) {
  return page.evaluate(() => {
    const server = (role) => {
      const node = document.querySelector(`#topology .server[data-node="${role}"]`);
      return {
        state: node?.dataset.foState,
        service: node?.dataset.service,
        down: node?.classList.contains('down'),
        badge: node?.querySelector('.fo-state text')?.textContent,
      };
    };
    const link = document.querySelector('#server-link');
    return {
      primary: server('primary'),
      secondary: server('secondary'),
      link: link?.dataset.link,
      connected: link?.dataset.connected,
      blockedLanes: document.querySelectorAll('#server-link .lane.blocked').length,
      lostFlights: document.querySelectorAll('#topology .flight.lost').length,
      kind: document.querySelector('#narration .narr-meta .kind')?.textContent,
      operator: document.querySelector('#narration .kind-operator') !== null,
      narration: document.querySelector('#narration').innerText,
      logRow: document.querySelector('#event-log .log-row.current')?.className ?? '',
    };
  });
}

/** The first step after `from` whose view satisfies `wanted`, or throws. */
async function findStep(page, from, wanted, what) {
  const total = await page.evaluate(() => window.dhcpfo.total());
  for (let n = from + 1; n <= total; n += 1) {
    await goto(page, n);
    const view = await faultView(page);
    if (wanted(view)) return { n, view };
  }
  throw new Error(`no step shows ${what}`);
}

export const tests = [
  {
    name: 'faults: state badges, the one-way cut, a stopped server and partner-down',
    async fn() {
      await withPage(`/${shareFragment(FAULTS, 0)}`, async (ctx) => {
        const { page } = ctx;
        const start = await faultView(page);
        assert(start.primary.state === 'normal' && start.primary.service === 'serving',
          `the primary starts NORMAL and serving, not ${JSON.stringify(start.primary)}`);
        assert(start.primary.badge === 'NORMAL', `badge reads ${start.primary.badge}`);
        assert(start.link === 'open' && start.blockedLanes === 0, 'the link starts whole');

        const cut = await findStep(page, 0, (v) => v.link === 'cut-to-secondary', 'the cut');
        assert(cut.view.operator, 'the cut is marked as an operator action in the narration');
        assert(cut.view.logRow.includes('log-operator'), `log row: ${cut.view.logRow}`);
        assert(cut.view.blockedLanes === 1, 'one lane of the link is blocked');
        await ctx.shot('faults-cut-link');

        const interrupted = await findStep(page, cut.n,
          (v) => v.primary.state === 'communications-interrupted', 'COMMUNICATIONS-INTERRUPTED');
        assert(interrupted.view.primary.service === 'serving',
          'COMMUNICATIONS-INTERRUPTED still serves clients');
        assert(interrupted.view.logRow.includes('log-state'), 'the state change is marked');
        const chips = await page.locator('#narration .narr-states .fo-chip').allInnerTexts();
        assert(chips.includes('COMMUNICATIONS-INTERRUPTED'), `state chips: ${chips}`);

        const stopped = await findStep(page, interrupted.n,
          (v) => v.secondary.state === 'down', 'the stopped secondary');
        const s = stopped.view.secondary;
        assert(s.down && s.service === 'down' && s.badge === 'DOWN',
          `the stopped secondary is drawn down: ${JSON.stringify(s)}`);
        await ctx.shot('faults-secondary-down');

        const partnerDown = await findStep(page, stopped.n,
          (v) => v.primary.state === 'partner-down', 'PARTNER-DOWN');
        assert(partnerDown.view.primary.service === 'serving', 'PARTNER-DOWN serves clients');
        assert(partnerDown.view.operator, 'partner-down is an operator action');

        const recover = await findStep(page, partnerDown.n,
          (v) => v.secondary.state === 'recover', 'the secondary in RECOVER');
        assert(recover.view.secondary.service === 'silent',
          `RECOVER answers no client: ${JSON.stringify(recover.view.secondary)}`);
        await ctx.shot('faults-recover');
        assertNoErrors(ctx);
      });
    },
  },
  {
    name: 'faults: lost packets vanish, with their reason in the narration and the log',
    async fn() {
      await withPage(`/${shareFragment(FAULTS, 0)}`, async (ctx) => {
        const { page } = ctx;
        const held = await findStep(page, 0, (v) => v.kind === 'drop', 'a lost packet');
        assert(held.view.lostFlights >= 1, 'the lost packet is drawn vanishing');
        assert(held.view.logRow.includes('log-drop'), `log row: ${held.view.logRow}`);
        assert(/lost on the way/.test(held.view.narration), 'the narration says it was lost');
        assert(/TCP keeps it/.test(held.view.narration),
          'a message meeting the cut link is held by TCP, and the narration says so');
        const chip = page.locator('#narration .narr-packets .chip', { hasText: 'lost' });
        assert((await chip.count()) === 1, 'the lost packet has its chip');
        const inspector = await page.locator('#packet-inspector').innerText();
        assert(/lost in step/.test(inspector), `inspector: ${inspector.slice(0, 80)}`);
        await ctx.shot('faults-lost-on-cut-link');

        const down = await findStep(page, held.n,
          (v) => v.kind === 'drop' && /not running/.test(v.narration), 'a packet to a stopped server');
        assert(down.view.lostFlights >= 1, 'the packet to the stopped server vanishes');

        // The client's step that sends the packet already shows it vanishing on its way.
        const sender = await findStep(page, held.n,
          (v) => v.kind === 'script' && v.lostFlights >= 1, 'a sender of a lost packet');
        assert(sender.n < down.n, 'the sending step comes before the loss');

        const dropNext = await findStep(page, down.n,
          (v) => v.kind === 'drop' && /asked to drop/.test(v.narration), 'the dropped packet');
        assert(dropNext.view.lostFlights >= 1, 'the dropped packet vanishes');
        await ctx.shot('faults-drop-next');
        assertNoErrors(ctx);
      });
    },
  },
  {
    name: 'faults: the inspector decodes CONNECT and STATE from their bytes',
    async fn() {
      await withPage(`/${shareFragment(FAULTS, 0)}`, async (ctx) => {
        const { page } = ctx;
        const total = await page.evaluate(() => window.dhcpfo.total());
        const seen = new Set();
        for (let n = 1; n <= total && seen.size < 2; n += 1) {
          await goto(page, n);
          for (const name of ['CONNECT', 'STATE']) {
            if (seen.has(name)) continue;
            const chip = page.locator('#narration .narr-packets .chip', {
              hasText: new RegExp(`⇢ ${name} to`),
            });
            if ((await chip.count()) === 0) continue;
            await chip.first().click();
            const text = await page.locator('#packet-inspector').innerText();
            if (name === 'CONNECT') {
              assert(/relationship-name \(22\)/.test(text), 'CONNECT shows its relationship name');
              assert(/hash-bucket-assignment \(11\)[\s\S]*of 256 buckets/.test(text),
                'CONNECT shows its hash buckets counted');
            } else {
              assert(/server-state \(24\)\s+\d+ \([A-Z-]+\)/.test(text),
                `STATE names the failover state: ${text}`);
            }
            seen.add(name);
          }
        }
        assert(seen.size === 2, `decoded only ${[...seen]}`);
        assertNoErrors(ctx);
      });
    },
  },
  {
    name: 'operator panel: a cut added at the step shown joins the scenario and its link',
    async fn() {
      await withPage('/', async (ctx) => {
        const { page } = ctx;
        await goto(page, 8);
        const heal = page.locator('#faults button[data-action="heal-link"]');
        assert(await heal.isDisabled(), 'healing a whole link is offered as not applicable');
        const before = await page.evaluate(() => location.hash);
        await page.locator('#faults button[data-action="cut-link"]').click();
        // The page shows the new event's step: an operator step that cut the link.
        await page.waitForFunction(
          () => document.querySelector('#server-link')?.dataset.link === 'cut',
          null,
          { timeout: 10_000 },
        );
        const view = await faultView(page);
        assert(view.operator, 'the injected cut is an operator step in the narration');
        assert(await heal.isEnabled(), 'once cut, the link can be healed');
        const step = await stepIndex(page);
        assert(step >= 9, `the cut comes after the step shown, not at ${step}`);
        // The share link now carries the event: opening it shows the same step.
        const after = await page.evaluate(() => location.hash);
        assert(after !== before && after.startsWith('#v1.'), 'the share link changed');
        await page.goto(new URL(`/${after}`, page.url()).href);
        await waitForStep(page, step);
        assert((await faultView(page)).link === 'cut', 'the reopened link shows the cut');
        // Heal it again from the panel; the run goes on and nothing breaks.
        await page.locator('#faults button[data-action="heal-link"]').click();
        await page.waitForFunction(
          () => document.querySelector('#server-link')?.dataset.link === 'open',
          null,
          { timeout: 10_000 },
        );
        assertNoErrors(ctx);
      });
    },
  },
];
