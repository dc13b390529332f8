#!/usr/bin/env node
// Renders pol's HTML reports in headless Chromium and checks them as a reader would: the
// explanation of one case, a population diff and a sweep, each at 1280 px and in A4 print
// emulation. Each page must load, nothing may overflow its container (a clipped chart label
// counts), no table heading may be broken one character a line, and the key numbers (read
// from pol's own JSON and CSV, never written here) must be in the visible text. Screenshots go
// to OUT_DIR, to be looked at.
//
//   node tests/browser/reports.test.js POL_BINARY SOURCE_DIR OUT_DIR
// Exit 0 when every check holds, 1 otherwise, 77 (skipped) without Chromium or node_modules
// (a failure when CI=true).
'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

const { preflight, chromium } = require('./preflight');
const { pol, src, out } = preflight('reports.test.js', () => [chromium()]);
const h = require('./harness');

const env = { ...process.env, SOURCE_DATE_EPOCH: '1754006400', POL_LANG: 'zh' };
const run = (args) => execFileSync(pol, args, { cwd: src, env, encoding: 'utf8', maxBuffer: 64 << 20 });
const write = (name, text) => {
  const f = path.join(out, name);
  fs.writeFileSync(f, text);
  return f;
};
const forms = h.numberForms;

function explainPage() {
  const args = ['policies/jilin_2025.pol', 'tests/golden/explain/retire_female_20_10.case.json'];
  const file = write('explain.html', run(['explain', ...args, '--format', 'html']));
  const values = JSON.parse(run(['eval', ...args, '--format', 'json'])).outputs;
  const wanted = Object.values(values).filter((v) => typeof v === 'number').map(forms);
  return { name: 'explain', file, wanted };
}

function diffPage() {
  const args = ['policies/jilin_2025.pol', 'tests/golden/diff/proposal_6_5.pol', '--cases', 'examples/jilin/cases.csv', '--show', '5'];
  const file = write('diff.html', run(['diff', ...args, '--format', 'html']));
  const pop = JSON.parse(run(['diff', ...args, '--format', 'json'])).population;
  const wanted = [];
  for (const o of pop.outputs) {
    if (o.total !== null && o.total !== undefined && o.changed > 0) wanted.push(forms(o.total));
    if (o.median !== null && o.median !== undefined) wanted.push(forms(o.median));
  }
  return { name: 'diff', file, wanted };
}

// One case explained under both files, side by side: both columns must fit 1280 px and A4.
function explainCasePage() {
  const args = ['policies/jilin_2025.pol', 'tests/golden/diff/proposal_6_5.pol', '--cases', 'examples/jilin/cases.csv',
                '--explain-case', 'jilin-04'];
  const file = write('explain-case.html', run(['diff', ...args, '--format', 'html']));
  const j = JSON.parse(run(['diff', ...args, '--format', 'json']));
  const wanted = [];
  for (const side of [j.explanation_a, j.explanation_b])
    for (const o of side.outputs) if (typeof o.value === 'number') wanted.push(forms(o.value));
  return { name: 'explain-case', file, wanted };
}

function sweepPage() {
  const csv = path.join(out, 'sweep.csv');
  const html = path.join(out, 'sweep.html');
  run(['sweep', 'policies/jilin_2025.pol', '--case', 'examples/jilin/04_female_lump_sum_or_continue.json',
       '--vary', 'jilin_years=0..22:2', '--output', 'lump_sum_amount', '--output', 'shortfall_years',
       '--output', 'retirement_outcome', '--csv', csv, '--svg', path.join(out, 'sweep.svg'), '--html', html]);
  const rows = fs.readFileSync(csv, 'utf8').trim().split('\n').slice(1);
  const wanted = [];
  for (const r of rows) {
    const cells = r.split(',');
    if (/^\d+(\.\d+)?$/.test(cells[1] || '')) wanted.push([cells[1]]);
  }
  return { name: 'sweep', file: html, wanted };
}

async function check(report, failures) {
  for (const mode of [{ label: '1280', opts: { width: 1280 } }, { label: 'a4', opts: { print: true } }]) {
    const page = await h.open(report.file, mode.opts);
    const tag = `${report.name} (${mode.label})`;
    const shot = await h.screenshot(page, path.join(out, `${report.name}-${mode.label}.png`));
    const problems = [
      ...page.polErrors,
      ...(await h.overflows(page)),
      ...(await h.squeezedHeadings(page)),
      ...(await h.missingText(page, report.wanted)).map((w) => `"${w}" is not in the visible text`),
    ];
    if (report.wanted.length === 0) problems.push('no key numbers to look for');
    if (problems.length) failures.push(`${tag}:\n  ${problems.join('\n  ')}`);
    console.log(`${problems.length ? 'FAIL' : 'ok  '} ${tag}: ${report.wanted.length} numbers; screenshot ${shot}`);
    await page.close();
  }
}

(async () => {
  const failures = [];
  try {
    for (const r of [explainPage(), diffPage(), explainCasePage(), sweepPage()]) await check(r, failures);
  } finally {
    await h.close();
  }
  if (failures.length) {
    console.error(failures.join('\n'));
    process.exit(1);
  }
  console.log('all pages load, fit and show their numbers');
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
