#!/usr/bin/env node
// How long the case page takes from a keystroke to the new explanation on screen: pol serve on
// 127.0.0.1 (a free port), the workbench in headless Chromium, the retirement case of
// docs/workbench.md typed, then N edits of one field; for each, the time from the key press to
// the explanation drawn (the page's debounce, the request, the server, the rendering), as the
// driver sees it and as the page measures it itself.
//
//   node bench/workbench_latency.js POL_BINARY [N]     (from the source tree's root)
'use strict';
const path = require('path');
const h = require('../tests/browser/harness');

const [pol, n = '40'] = process.argv.slice(2);
const src = path.resolve(__dirname, '..');
(async () => {
  const s = await h.serve(pol, [path.join(src, 'policies'), '--web', path.join(src, 'web')], { cwd: src });
  const page = await h.open(`${s.url}/#/case/jilin_2025`, { height: 1000 });
  await page.waitForSelector('#in-total_years');
  const set = { worker_type: 'self_employed', hukou_in_jilin: 'true', mode: 'pooling_only', gender: 'female', at_retirement_age: 'true' };
  for (const [k, v] of Object.entries(set)) await page.select(`#in-${k}`, v);
  await page.click('#in-total_years', { clickCount: 3 });
  await page.type('#in-total_years', '20');
  await new Promise((r) => setTimeout(r, 500));
  const times = [], inPage = [];
  for (let i = 0; i < Number(n); i++) {
    await page.click('#in-jilin_years', { clickCount: 3 });
    const before = await page.$eval('#explanation', (e) => Number(e.dataset.version || 0));
    const t0 = Date.now();
    await page.keyboard.type(String(i % 20));
    await page.waitForFunction((k) => Number(document.querySelector('#explanation').dataset.version) > k, { polling: 'raf' }, before);
    times.push(Date.now() - t0);
    inPage.push(await page.$eval('#explanation', (e) => Number(e.dataset.latency)));
  }
  for (const t of [times, inPage]) t.sort((a, b) => a - b);
  const q = (t, p) => t[Math.min(t.length - 1, Math.floor(p * t.length))];
  console.log(`keystroke → explanation drawn, ${times.length} edits, seen by the driver: median ${q(times, 0.5)} ms, p90 ${q(times, 0.9)} ms`);
  console.log(`the same, measured in the page (input event → explanation in the document): median ${q(inPage, 0.5)} ms, p90 ${q(inPage, 0.9)} ms`);
  await h.close();
  await s.stop();
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
