// Smoke test: the release bundle loads, the Yew app mounts, and nothing reports an error.

import { close, openPage } from './harness.mjs';

export const tests = [
  {
    name: 'the page at / mounts #app without errors',
    async fn() {
      const ctx = await openPage('/');
      try {
        await ctx.page.waitForSelector('#app', { state: 'attached', timeout: 30_000 });
        await ctx.shot('smoke');
        if (ctx.errors.length > 0) {
          throw new Error(`errors on the page: ${ctx.errors.join(' | ')}`);
        }
      } finally {
        await close(ctx);
      }
    },
  },
];
