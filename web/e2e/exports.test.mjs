// Browser tests of what the page hands to real tools: the packet inspector's fields decoded
// from the bytes and its hex dump, the capture and lease-file downloads, and the dhcpd.conf
// import (a good file loads a scenario and lists its notes; a broken one is refused with
// its line and leaves the page alone). Downloads are saved under a fresh temporary folder.

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assert, assertNoErrors, scrubTo, withPage } from './page.mjs';

/** The dhcpd.conf of the primary of a recorded pair, from the engine's test data. */
const PRIMARY_CONF = fileURLToPath(
  new URL('../../crates/engine/tests/data/conf/a-release-primary.conf', import.meta.url),
);

/** Where Debian installs tshark; the capture test runs it only when it is there. */
const TSHARK = '/usr/bin/tshark';

/** The first four bytes of a classic pcap file, in either byte order and either resolution. */
const PCAP_MAGICS = ['d4c3b2a1', 'a1b2c3d4', '4d3cb2a1', 'a1b23c4d'];

/** Like `withPage`, with a fresh temporary folder for downloads, removed afterwards. */
async function withPageAndDir(path, body) {
  const dir = await mkdtemp(join(tmpdir(), 'dhcpfo-exports-'));
  try {
    await withPage(path, (ctx) => body(ctx, dir));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Opens the Download menu, clicks `id`, saves the file in `dir`; returns its path and name. */
async function download(page, id, dir) {
  await page.locator('#download-menu').click();
  await page.locator('#download-pop').waitFor();
  const [file] = await Promise.all([page.waitForEvent('download'), page.locator(id).click()]);
  const name = file.suggestedFilename();
  const path = join(dir, name);
  await file.saveAs(path);
  return { path, name };
}

/** Runs a program and resolves with its standard output (rejects on a non-zero exit). */
function run(program, args) {
  return new Promise((resolve, reject) => {
    execFile(program, args, { timeout: 30_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${program} failed: ${stderr || error.message}`));
      else resolve(stdout);
    });
  });
}

/** Opens the import dialog, puts `text` in it and presses Import. */
async function importText(page, text) {
  await page.locator('#import-conf').click();
  await page.locator('#conf-text').fill(text);
  await page.locator('#conf-import').click();
}

export const tests = [
  {
    name: 'a BNDUPD in the inspector shows its decoded header, options and hex dump',
    async fn() {
      await withPageAndDir('/', async (ctx) => {
        const { page } = ctx;
        await scrubTo(page, 12);
        await page.locator('#narration .chip', { hasText: 'BNDUPD' }).first().click();
        const inspector = page.locator('#packet-inspector');
        const text = await inspector.innerText();
        // Captions are upper-cased by the style sheet, and innerText follows it.
        assert(text.toLowerCase().includes('failover header'), 'no failover header section');
        for (const field of ['length', 'payload offset', 'time', 'xid',
          '3 (BNDUPD)', 'assigned-IP-address (2)', 'binding-status (3)',
          'lease-expiration-time (13)', 'potential-expiration-time (18)',
          'start-time-of-state (25)']) {
          assert(text.includes(field), `inspector lacks ${field}`);
        }
        const lengthRow = inspector.locator('tr', { hasText: 'length' }).first();
        const length = await lengthRow.locator('td').innerText();
        const bytes = Number(length.split(' ')[0]);
        assert(bytes > 12, `header length is ${length}`);
        const lines = await inspector.locator('#hex-dump .hex-line').allInnerTexts();
        const expected = Math.ceil(bytes / 16);
        assert(lines.length === expected, `${lines.length} hex lines for ${bytes} bytes`);
        assert(/^0000\s+00 [0-9a-f]{2} 03 0c/.test(lines[0]), `first hex line: ${lines[0]}`);
        await inspector.locator('tr', { hasText: 'xid' }).first().hover();
        const marked = await inspector.locator('#hex-dump mark').innerText();
        assert(marked.trim().split(/\s+/).length === 4, `xid marks "${marked}"`);
        await ctx.shot('exports-inspector-bndupd');
        assertNoErrors(ctx);
      });
    },
  },
  {
    name: 'a DHCP message in the inspector shows the RFC 2131 fixed fields decoded from its bytes',
    async fn() {
      await withPageAndDir('/', async (ctx) => {
        const { page } = ctx;
        await scrubTo(page, 1);
        const text = await page.locator('#packet-inspector').innerText();
        for (const field of ['op', 'htype', 'hlen', 'hops', 'xid', 'secs', 'flags', 'ciaddr',
          'yiaddr', 'siaddr', 'giaddr', 'chaddr', '53 message type', '255 end', '1 (Ethernet)']) {
          assert(text.includes(field), `inspector lacks ${field}`);
        }
        const lines = await page.locator('#hex-dump .hex-line').count();
        assert(lines === 19, `${lines} hex lines for a 300-byte DHCPDISCOVER`);
        assert(text.includes('63 82 53 63'), 'the magic cookie is not in the hex dump');
        assertNoErrors(ctx);
      });
    },
  },
  {
    name: 'the capture download is a pcap file that tshark reads without malformed packets',
    async fn() {
      await withPageAndDir('/', async (ctx, dir) => {
        const { page } = ctx;
        await page.locator('#download-menu').click();
        await page.locator('#download-pop').waitFor();
        await ctx.shot('exports-download-menu');
        await page.keyboard.press('Escape');
        await page.locator('#download-pop').waitFor({ state: 'detached' });
        const { path, name } = await download(page, '#download-pcap', dir);
        assert(name === 'dhcprelease.pcap', `file name ${name}`);
        const bytes = await readFile(path);
        const magic = bytes.subarray(0, 4).toString('hex');
        assert(PCAP_MAGICS.includes(magic), `magic ${magic}`);
        const { size } = await stat(path);
        assert(size > 5_000 && size < 5_000_000, `capture of ${size} bytes`);
        if (existsSync(TSHARK)) {
          const malformed = await run(TSHARK, ['-n', '-r', path, '-Y', '_ws.malformed']);
          assert(malformed.trim() === '', `tshark finds malformed packets:\n${malformed}`);
          const data = 'tcp.port == 647 && tcp.len > 0';
          const failover = await run(TSHARK, ['-n', '-r', path, '-Y', data]);
          assert(failover.trim().length > 0, 'tshark sees no failover messages');
        }
        assertNoErrors(ctx);
      });
    },
  },
  {
    name: 'the lease downloads hold each server\'s dhcpd.leases at the step shown',
    async fn() {
      await withPageAndDir('/', async (ctx, dir) => {
        const { page } = ctx;
        await scrubTo(page, 40);
        const clock = (await page.locator('#clock').innerText()).slice(0, 8).replaceAll(':', '-');
        for (const role of ['primary', 'secondary']) {
          const { path, name } = await download(page, `#download-leases-${role}`, dir);
          assert(name === `dhcprelease-${role}-${clock}.leases`, `file name ${name}`);
          const text = await readFile(path, 'utf8');
          assert(text.includes('lease 192.0.2.20 {'), `${name} lacks the lease of 192.0.2.20`);
          assert(text.includes('failover peer'), `${name} lacks the failover state record`);
        }
        assertNoErrors(ctx);
      });
    },
  },
  {
    name: 'importing a primary\'s dhcpd.conf loads it, lists its notes and puts it in the link',
    async fn() {
      const conf = await readFile(PRIMARY_CONF, 'utf8');
      await withPageAndDir('/', async (ctx) => {
        const { page } = ctx;
        const oldHash = new URL(page.url()).hash;
        await importText(page, conf);
        await page.locator('#conf-notes li').first().waitFor();
        const notes = await page.locator('#conf-notes li').allInnerTexts();
        const first = notes.find((n) => n.startsWith('1:'));
        assert(first && first.includes('authoritative'), `no note on line 1: ${notes.join(' | ')}`);
        const shaped = notes.every((n) => /^\d+:\d+\s*(info|warning)/i.test(n));
        assert(shaped, `odd notes: ${notes.join(' | ')}`);
        await ctx.shot('exports-import-notes');
        const title = await page.locator('.intro-title').innerText();
        assert(title.includes('Imported'), `title ${title}`);
        const cells = await page.locator('.pool-cell[data-server="primary"]').count();
        assert(cells === 10, `${cells} addresses in the pool`);
        const first100 = page.locator('.pool-cell[data-address="10.77.0.100"]');
        assert((await first100.count()) === 2, 'not the imported range');
        const hash = new URL(page.url()).hash;
        assert(hash.startsWith('#v1.') && hash !== oldHash, `fragment did not follow: ${hash}`);
        await page.getByRole('button', { name: 'Show the playground' }).click();
        await page.locator('#import-dialog').waitFor({ state: 'detached' });
        assertNoErrors(ctx);
      });
    },
  },
  {
    name: 'a broken dhcpd.conf is refused with its line and the scenario stays',
    async fn() {
      // The peer's block is never closed: dhcpd refuses this, and so does the import.
      const broken = [
        'authoritative;',
        'failover peer "x" {',
        '  primary;',
        '  mclt 3600;',
        '',
        'subnet 10.0.0.0 netmask 255.255.255.0 {',
        '  pool { failover peer "x"; range 10.0.0.10 10.0.0.20; }',
        '}',
        '',
      ].join('\n');
      await withPageAndDir('/', async (ctx) => {
        const { page } = ctx;
        const before = new URL(page.url()).hash;
        await importText(page, broken);
        const error = await page.locator('#conf-error').innerText();
        assert(/line 2, column \d+/.test(error), `not the peer's line in the error: ${error}`);
        assert((await page.locator('#conf-notes').count()) === 0, 'notes shown for a refused file');
        await page.keyboard.press('Escape');
        await page.locator('#import-dialog').waitFor({ state: 'detached' });
        const picked = await page.locator('#scenario-picker').inputValue();
        assert(picked === 'dhcprelease', `scenario changed to ${picked}`);
        assert((await page.locator('.pool-cell').count()) === 40, 'pool changed');
        assert(new URL(page.url()).hash === before, 'fragment changed');
        await page.locator('#import-conf').click();
        const kept = await page.locator('#conf-text').inputValue();
        assert(kept === broken, 'the text was not kept for a fix');
        assertNoErrors(ctx);
      });
    },
  },
  {
    name: 'a dhcpd.conf chosen as a file fills the text area',
    async fn() {
      await withPageAndDir('/', async (ctx) => {
        const { page } = ctx;
        await page.locator('#import-conf').click();
        await page.locator('#conf-file').setInputFiles(PRIMARY_CONF);
        await page.waitForFunction(
          () => document.querySelector('#conf-text').value.includes('failover peer'),
        );
        await page.locator('#conf-import').click();
        await page.locator('#conf-notes li').first().waitFor();
        assertNoErrors(ctx);
      });
    },
  },
];
