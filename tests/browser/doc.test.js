#!/usr/bin/env node
// Renders `pol doc --format html` in headless Chromium for both shipped policies and one
// region, at 1280 px, at 480 px (one column) and in A4 print emulation. Each page must load,
// nothing may overflow horizontally, and the Chinese must render: the clause texts (read from
// the source files the headers name, never written here) are in the visible text, and the
// page's CJK font is available to the browser for them. Screenshots go to OUT_DIR.
//
//   node tests/browser/doc.test.js POL_BINARY SOURCE_DIR OUT_DIR
// Exit 0 when every check holds, 1 otherwise, 77 (skipped) without Chromium or node_modules
// (a failure when CI=true).
'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

const { preflight, chromium } = require('./preflight');
const { pol, src, out } = preflight('doc.test.js', () => [chromium()]);
const h = require('./harness');

const env = { ...process.env, SOURCE_DATE_EPOCH: '1754006400', POL_LANG: 'zh' };
const run = (args) => execFileSync(pol, args, { cwd: src, env, encoding: 'utf8', maxBuffer: 64 << 20 });

// The source text a rule file's header (or its base's) names, relative to that file.
function sourceText(policy) {
  let file = path.join(src, policy);
  for (let i = 0; i < 4; i++) {
    const t = fs.readFileSync(file, 'utf8');
    const s = t.match(/^\s+source\s+"([^"]+)"/m);
    if (s) return fs.readFileSync(path.join(path.dirname(file), s[1]), 'utf8');
    const e = t.match(/^\s+extends\s+"([^"]+)"/m);
    if (!e) return null;
    file = path.join(path.dirname(file), e[1]);
  }
  return null;
}

// A few lines of the text, whitespace removed as the page joins wrapped lines: clause lines
// (those starting with a clause mark), first 12 characters each.
function wantedLines(text) {
  const lines = text.split('\n').map((l) => l.replace(/[\s\u3000]/g, '')).filter((l) => /^[（(][一二三四五六七八九十]+[）)]/.test(l));
  return lines.map((l) => l.slice(0, 12));
}

async function check(policy, failures) {
  const name = path.basename(policy, '.pol');
  const file = path.join(out, `doc-${name}.html`);
  fs.writeFileSync(file, run(['doc', policy, '--format', 'html']));
  const wanted = wantedLines(sourceText(policy) || '');
  for (const mode of [{ label: '1280', opts: { width: 1280 } }, { label: '480', opts: { width: 480 } }, { label: 'a4', opts: { print: true } }]) {
    const page = await h.open(file, mode.opts);
    const tag = `${name} (${mode.label})`;
    const shot = await h.screenshot(page, path.join(out, `doc-${name}-${mode.label}.png`));
    const cjk = await page.evaluate((sample) => {
      const p = document.querySelector('.src p:not(.status)');
      const family = p ? getComputedStyle(p).fontFamily : '';
      return { family, available: document.fonts.check('16px "Noto Sans CJK SC"', sample) };
    }, wanted[0] || '参保');
    const problems = [
      ...page.polErrors,
      ...(await h.overflows(page)),
      ...(await h.missingText(page, wanted)).map((w) => `"${w}" is not in the visible text`),
    ];
    if (wanted.length < 5) problems.push(`only ${wanted.length} clause lines to look for`);
    if (!cjk.family.includes('Noto Sans CJK SC')) problems.push(`the clause text is not set in the CJK font: ${cjk.family}`);
    if (!cjk.available) problems.push('the browser has no Noto Sans CJK SC for the clause text');
    if (problems.length) failures.push(`${tag}:\n  ${problems.join('\n  ')}`);
    console.log(`${problems.length ? 'FAIL' : 'ok  '} ${tag}: ${wanted.length} clause lines; screenshot ${shot}`);
    await page.close();
  }
}

(async () => {
  const failures = [];
  try {
    for (const p of ['policies/jilin_2025.pol', 'policies/mohrss_2003.pol', 'policies/regions/changchun_2025.pol']) await check(p, failures);
  } finally {
    await h.close();
  }
  if (failures.length) {
    console.error(failures.join('\n'));
    process.exit(1);
  }
  console.log('every pol doc page loads, fits and shows its Chinese text');
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
