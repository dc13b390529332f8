#!/usr/bin/env node
// The workbench (web/) in headless Chromium (or Firefox ESR with POL_BROWSER=firefox) against `pol serve` on 127.0.0.1 and a free port,
// serving a temporary copy of policies/ with --edit. The scenarios of issue 15: the policies
// page; the case form for a woman at retirement age with 20 total and 10 Jilin years, whose
// explanation must show 可一次性趸缴或继续缴费 and both shortfalls; an invalid value and the
// server's message under its field; examples/jilin/cases.csv uploaded on the compare page for
// jilin_2025 against changchun_2025 and the counts; a copy of a rule file edited with a
// misspelt name (the diagnostic under that name), fixed, saved, and the case page using the
// new value. The switches for the alternative readings: a choice for each ambiguity the file
// declares, what another reading would change beside each, and the explanation under the
// reading chosen; the population uploaded as an Excel workbook too. What the pages must show is read from pol itself (its CLI or the API), never
// written here. Screenshots go to OUT_DIR; the case page's also to docs/workbench-case.png
// when POL_UPDATE_SCREENSHOT=1 (Chromium only). In Firefox the screenshots' names end in
// -firefox.
//
//   node tests/browser/workbench.test.js POL_BINARY SOURCE_DIR OUT_DIR
// Exit 0 when every check holds, 1 otherwise, 77 (skipped) without Chromium or node_modules
// (of tests/browser and web/; a failure when CI=true).
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');

const { preflight, chromium } = require('./preflight');
const firefox = process.env.POL_BROWSER === 'firefox';
const browserPath = firefox ? process.env.POL_FIREFOX || '/usr/bin/firefox-esr' : chromium();
// Firefox runs only where it is installed; its absence is no failure under CI.
const { pol, src, out } = preflight('workbench.test.js',
  (dir) => [browserPath, path.join(dir, 'web', 'node_modules', 'echarts'), path.join(dir, 'web', 'node_modules', 'codemirror')],
  () => !(firefox && !fs.existsSync(browserPath)));
const h = require('./harness');

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pol-workbench-'));
// dereference: a policies/ that is a link is copied, never written through. The source texts
// (policies/texts/) come with it, so that the policy page's document finds them.
const served = path.join(tmp, 'w', 'policies');
fs.cpSync(path.join(src, 'policies'), served, { recursive: true, dereference: true });
// A proposal beside them (the employer's rate 6.5%), so that a comparison has changed cases.
const proposal = fs.readFileSync(path.join(src, 'tests', 'golden', 'diff', 'proposal_6_5.pol'), 'utf8')
  .replace(/^(\s*extends\s+)"[^"]*"/m, '$1"jilin_2025.pol"');
fs.writeFileSync(path.join(served, 'proposal_6_5.pol'), proposal);
const env = { ...process.env, POL_LANG: 'zh' };
const cli = (args) => execFileSync(pol, args, { cwd: src, env, encoding: 'utf8', maxBuffer: 64 << 20 });
const failures = [];
const expect = (cond, what) => {
  if (!cond) failures.push(what);
  console.log(`${cond ? 'ok  ' : 'FAIL'} ${what}`);
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Waits until `f` (run in the page) gives a true value; false after `ms`.
async function until(page, f, arg, ms = 10000) {
  try {
    await page.waitForFunction(f, { timeout: ms, polling: 50 }, arg);
    return true;
  } catch (e) {
    return false;
  }
}
const explained = (page, n) => until(page, (k) => Number(document.querySelector('#explanation')?.dataset.version || 0) > k, n);
const version = (page) => page.$eval('#explanation', (e) => Number(e.dataset.version || 0));

async function api(base, method, p, body) {
  const r = await fetch(base + '/api/v1' + p, { method, headers: { 'Content-Type': 'application/json' }, body: body && JSON.stringify(body) });
  return { status: r.status, data: await r.json() };
}

async function policiesPage(s) {
  const page = await h.open(s.url + '/#/');
  await until(page, () => document.querySelectorAll('table.policies tbody tr').length > 0);
  const served = (await api(s.url, 'GET', '/policies')).data.policies;
  const rows = await page.$$eval('table.policies tbody tr', (rs) => rs.map((r) => ({ name: r.dataset.name, variant: r.classList.contains('variant') })));
  expect(rows.length === served.length, `policies page: a row for each of the ${served.length} policies served`);
  for (const p of served.filter((x) => x.base)) {
    const i = rows.findIndex((r) => r.name === p.name);
    expect(i > 0 && rows[i].variant, `policies page: ${p.name} listed as a variant under its base`);
  }
  const titles = served.filter((p) => p.title).map((p) => p.title);
  const missing = await h.missingText(page, titles);
  expect(missing.length === 0, `policies page: every title shown${missing.length ? ' (missing ' + missing.join(', ') + ')' : ''}`);
  expect((await h.overflows(page)).length === 0, 'policies page: nothing overflows at 1280 px');
  console.log('     screenshot', await h.screenshot(page, path.join(out, 'workbench-policies.png')));
  await page.close();
}

// The case of the issue, typed into the form as an analyst would.
const retiree = { worker_type: 'self_employed', hukou_in_jilin: 'true', mode: 'pooling_only', gender: 'female', at_retirement_age: 'true',
  total_years: '20', jilin_years: '10', pooling_only_years: '20' };
// The same case as JSON (true, numbers).
const retireeCase = Object.fromEntries(Object.entries(retiree).map(([k, v]) => [k, v === 'true' ? true : /^\d+$/.test(v) ? Number(v) : v]));

// The policy page: the declarations and, below, the page of `pol doc` in a frame: a clause of
// the source text with a declaration citing it, the frame as tall as its content.
async function policyPage(s) {
  const page = await h.open(s.url + '/#/policy/jilin_2025');
  await until(page, () => {
    const f = document.querySelector('iframe.doc-frame');
    return f && f.contentDocument && f.contentDocument.body && f.contentDocument.body.innerText.includes('（五）');
  }, undefined, 20000);
  const r = await page.$eval('iframe.doc-frame', (f) => {
    const d = f.contentDocument;
    const units = [...d.querySelectorAll('section.unit')].filter((u) => u.innerText.includes('（五）'));
    return {
      clause: units.length > 0,
      decl: units.some((u) => u.querySelector('li b')),
      text: d.body.innerText,
      fits: d.documentElement.scrollHeight <= f.clientHeight + 2,
      wide: d.documentElement.scrollWidth > d.documentElement.clientWidth + 1,
    };
  });
  expect(r.clause && r.decl, 'policy page: the source text\'s clause （五） with a declaration citing it');
  expect(r.text.includes('累计缴费年限'), 'policy page: the words of the source text shown');
  expect(r.fits, 'policy page: the document\'s frame as tall as its content');
  expect(!r.wide, 'policy page: nothing in the document wider than its frame');
  expect(await page.$('.decl') !== null, 'policy page: the declarations view kept');
  expect((await h.overflows(page)).length === 0, 'policy page: nothing overflows at 1280 px');
  await page.click('#to-doc');
  await sleep(300);
  expect(await page.$eval('.doc-view h2', (e) => {
    const r = e.getBoundingClientRect();
    return r.top >= 0 && r.top < 200 && e.contains(document.elementFromPoint(r.left + 5, r.top + r.height / 2));
  }), 'policy page: the button at the top leads to the document, its heading in view');
  console.log('     screenshot', await h.screenshot(page, path.join(out, 'workbench-policy.png')));
  await page.close();
}

async function fill(page, values) {
  for (const [name, v] of Object.entries(values)) {
    const tag = await page.$eval(`#in-${name}`, (e) => e.tagName);
    if (tag === 'SELECT') await page.select(`#in-${name}`, v);
    else await retype(page, `#in-${name}`, v);
  }
}

// Types `v` over what a text field holds, as an analyst selecting it all does (the field's
// own select(): a triple click selects nothing in every browser).
async function retype(page, selector, v) {
  await page.click(selector);
  await page.$eval(selector, (e) => e.select());
  await page.type(selector, v);
}

async function casePage(s) {
  const page = await h.open(s.url + '/#/case/jilin_2025', { height: 1000 });
  await until(page, () => document.querySelector('#in-total_years'));
  await page.$eval('#case-at', (e) => (e.value = '2025-08-01'));
  const v0 = await version(page);
  await fill(page, retiree);
  expect(await explained(page, v0), 'case page: the explanation is drawn after typing');
  await until(page, () => !document.querySelector('#explanation').classList.contains('stale'));
  await sleep(300);
  const text = await h.shadowText(page, '#explanation-report');
  // What the server says of the same case: the outcome and the two conditions it fails.
  const caseObj = { worker_type: 'self_employed', hukou_in_jilin: true, mode: 'pooling_only', gender: 'female', at_retirement_age: true,
    total_years: 20, jilin_years: 10, pooling_only_years: 20 };
  const e = (await api(s.url, 'POST', '/policies/jilin_2025/explain', { case: caseObj, at: '2025-08-01' })).data;
  const outcome = e.outputs.find((o) => o.name === 'retirement_outcome');
  const shortfalls = [];
  const walk = (n) => {
    for (const part of n.parts || []) if (part.state === 'fails' && /差/.test(part.text)) shortfalls.push(part.text);
    for (const c of n.steps || []) walk(c);
  };
  walk(outcome);
  expect(outcome.text === '可一次性趸缴或继续缴费' && text.includes('可一次性趸缴或继续缴费'), 'case page: the explanation shows 可一次性趸缴或继续缴费');
  expect(shortfalls.length === 2 && shortfalls.every((t) => text.includes(t)), `case page: both shortfalls shown (${shortfalls.join('；')})`);
  console.log('     screenshot', await h.screenshot(page, path.join(out, 'workbench-case.png')));
  if (process.env.POL_UPDATE_SCREENSHOT === '1' && !firefox) {
    await page.setViewport({ width: 1600, height: 1000 });
    await sleep(300);
    // The results in view: the explanation's column scrolled to its heading 计算结果.
    await page.$eval('#explanation-report', (e) => {
      const h2 = [...e.shadowRoot.querySelectorAll('h2')].find((x) => x.textContent.includes('计算结果'));
      if (h2) h2.scrollIntoView({ block: 'start' });
    });
    await sleep(200);
    await page.screenshot({ path: path.join(src, 'docs', 'workbench-case.png') });
  }

  // An invalid value: the field shows the server's own message for it.
  await retype(page, '#in-jilin_years', '25');
  const bad = (await api(s.url, 'POST', '/policies/jilin_2025/explain', { case: { ...caseObj, jilin_years: 25 }, at: '2025-08-01' })).data.error;
  const shown = await until(page, (m) => document.querySelector('.field[data-name=jilin_years] .msg')?.textContent === m, bad.message);
  expect(bad.field === 'jilin_years' && shown, `case page: an invalid value shows the server's message under its field (${bad.message})`);
  // (A browser that types slowly may explain the "2" before the "25": the one drawn last stays.)
  const v1 = await version(page);
  await sleep(300);
  expect(await version(page) === v1 && await page.$eval('#explanation', (e) => e.classList.contains('stale')),
    'case page: the last good explanation stays (dimmed) while a value is invalid');
  console.log('     screenshot', await h.screenshot(page, path.join(out, 'workbench-case-invalid.png')));

  // A case file loaded into the form: its fields filled, explained as pol explains it.
  const example = path.join(src, 'examples', 'jilin', '01_platform_rider_combined.json');
  const given = JSON.parse(fs.readFileSync(example, 'utf8'));
  const outputs = JSON.parse(cli(['eval', 'policies/jilin_2025.pol', example, '--format', 'json'])).outputs;
  const v2 = await version(page);
  await (await page.$('#case-file')).uploadFile(example);
  await explained(page, v2);
  const form = await page.$$eval('.field', (fs) => Object.fromEntries(fs.map((f) => [f.dataset.name, f.querySelector('input,select').value])));
  expect(Object.entries(given).filter(([k]) => k in form).every(([k, v]) => form[k] === String(v)), 'case page: a loaded case file fills the form');
  const loaded = await h.shadowText(page, '#explanation-report');
  const numbers = Object.values(outputs).filter((v) => typeof v === 'number').map(h.numberForms);
  expect(numbers.length > 0 && numbers.every((forms) => forms.some((f) => loaded.includes(f))), 'case page: the loaded case explained with the values of pol eval');
  await page.close();
}

// The alternative readings on the case page: a choice per ambiguity (as GET /policies lists
// them), beside each whether another reading changes an output (as POST /readings says), and a
// reading chosen re-explains the case under it, naming it, with pol eval --reading's values.
async function readingsPage(s) {
  const caseFile = path.join(src, 'tests', 'golden', 'explain', 'reading_a4_gt.case.json');
  const given = JSON.parse(fs.readFileSync(caseFile, 'utf8'));
  const pol = (await api(s.url, 'GET', '/policies/jilin_2025')).data;
  const page = await h.open(s.url + '/#/case/jilin_2025', { height: 1000 });
  await until(page, () => document.querySelector('#in-total_years'));
  const v0 = await version(page);
  await (await page.$('#case-file')).uploadFile(caseFile);
  await explained(page, v0);
  const shown = await page.$$eval('#case-readings select', (ss) => ss.map((x) => [x.dataset.reading, [...x.options].map((o) => o.value)]));
  const declared = pol.readings.map((r) => [r.id, r.alternatives.map((a) => a.name)]);
  expect(declared.length > 0 && JSON.stringify(shown) === JSON.stringify(declared),
    `readings: a choice for each of the ${declared.length} ambiguities, with its alternatives`);
  const { as_of, ...inputs } = given;
  const impact = (await api(s.url, 'POST', '/policies/jilin_2025/readings', { case: inputs, at: as_of })).data;
  const changing = (id) => impact.alternatives.filter((a) => a.readings.length === 1 && a.readings[0].id === id && (a.error || a.outputs.length)).length;
  const notes = await until(page, (n) => document.querySelectorAll('#case-readings [data-changes]').length === n, declared.length);
  const counts = notes ? await page.$$eval('#case-readings .field.reading', (fs) => fs.map((f) => [f.dataset.reading, Number(f.querySelector('.hint').dataset.changes)])) : [];
  expect(notes && counts.every(([id, n]) => n === changing(id)) && counts.some(([, n]) => n > 0),
    `readings: beside each ambiguity, whether another reading changes an output (${counts.map(([id, n]) => id + ':' + n).join(' ')})`);
  const a4 = pol.readings.find((r) => r.id === 'A4');
  const gt = a4.alternatives.find((a) => a.name === 'gt');
  const want = JSON.parse(cli(['eval', 'policies/jilin_2025.pol', caseFile, '--format', 'json', '--reading', 'A4=gt'])).outputs;
  const own = JSON.parse(cli(['eval', 'policies/jilin_2025.pol', caseFile, '--format', 'json'])).outputs;
  expect(want.retirement_outcome !== own.retirement_outcome, 'readings: A4=gt changes the retirement outcome of this case (pol eval)');
  const v1 = await version(page);
  await page.select('#reading-A4', 'gt');
  await explained(page, v1);
  await sleep(300);
  const text = await h.shadowText(page, '#explanation-report');
  const outcome = pol.outputs.find((o) => o.name === 'retirement_outcome');
  const label = (v) => (outcome.values.find((x) => x.name === v) || { label: v }).label;
  expect(text.includes('A4.gt') && text.includes(gt.label), 'readings: the explanation names the reading in force (A4.gt)');
  expect(text.includes(label(want.retirement_outcome)), `readings: the explanation under A4=gt shows ${label(want.retirement_outcome)} as pol eval --reading A4=gt`);
  await page.$eval('#case-readings', (e) => e.scrollIntoView({ block: 'start' }));
  console.log('     screenshot', await h.screenshot(page, path.join(out, 'workbench-case-readings.png')));
  await page.close();
}

async function comparePage(s) {
  const page = await h.open(s.url + '/#/compare?a=jilin_2025&b=changchun_2025');
  await until(page, () => document.querySelector('#cmp-changes, #cmp-out p'));
  const input = await page.$('#cmp-file');
  await input.uploadFile(path.join(src, 'examples', 'jilin', 'cases.csv'));
  const ok = await until(page, () => document.querySelector('#cmp-counts'), undefined, 30000);
  expect(ok, 'compare page: the population comparison is drawn after the upload');
  const want = JSON.parse(cli(['diff', 'policies/jilin_2025.pol', 'policies/regions/changchun_2025.pol', '--cases', 'examples/jilin/cases.csv',
    '--format', 'json'])).population;
  const counts = ok ? await page.$eval('#cmp-counts', (e) => e.textContent) : '';
  expect(counts.includes(`共 ${want.cases} 个案例`) && counts.includes(`其中 ${want.changed_cases} 个结果有变化`),
    `compare page: the counts of pol diff (${want.cases} cases, ${want.changed_cases} changed): "${counts}"`);
  const perOutput = ok ? await page.$$eval('#cmp-summary tr[data-output]', (rs) => rs.map((r) => [r.dataset.output, r.children[1].textContent])) : [];
  const same = want.outputs.every((o) => perOutput.some(([n, c]) => n === o.name && Number(c) === o.changed));
  expect(same && perOutput.length === want.outputs.length, 'compare page: the changed count of every output as pol diff gives it');
  console.log('     screenshot', await h.screenshot(page, path.join(out, 'workbench-compare.png')));
  // The same population as an Excel workbook (made by python3-openpyxl): the same counts.
  const book = path.join(tmp, 'cases.xlsx');
  execFileSync('/usr/bin/python3', [path.join(src, 'tests', 'serve', 'csv_to_xlsx.py'), path.join(src, 'examples', 'jilin', 'cases.csv'), book]);
  await page.$eval('#cmp-out', (e) => (e.innerHTML = ''));
  await input.uploadFile(book);
  const xok = await until(page, () => document.querySelector('#cmp-counts') && /cases\.xlsx/.test(document.querySelector('#cmp-out').textContent),
    undefined, 30000);
  const xcounts = xok ? await page.$eval('#cmp-counts', (e) => e.textContent) : '';
  expect(xcounts.includes(`共 ${want.cases} 个案例`) && xcounts.includes(`其中 ${want.changed_cases} 个结果有变化`),
    `compare page: an Excel workbook uploaded gives the counts of pol diff: "${xcounts}"`);
  console.log('     screenshot', await h.screenshot(page, path.join(out, 'workbench-compare-xlsx.png')));
  await page.close();
  await changedCases(s);
}

// A comparison with changed cases: the chart, the table paged and sorted, a case under both.
async function changedCases(s) {
  const page = await h.open(s.url + '/#/compare?a=jilin_2025&b=proposal_6_5');
  await until(page, () => document.querySelector('#cmp-changes, #cmp-out p'));
  await (await page.$('#cmp-file')).uploadFile(path.join(src, 'examples', 'jilin', 'cases.csv'));
  await until(page, () => document.querySelector('#cmp-counts'), undefined, 30000);
  const want = JSON.parse(cli(['diff', 'policies/jilin_2025.pol', 'tests/golden/diff/proposal_6_5.pol', '--cases', 'examples/jilin/cases.csv',
    '--format', 'json', '--show', '1000'])).population;
  expect(want.changed_cases > 0, `compare (proposal): pol diff finds ${want.changed_cases} changed cases`);
  const counts = await page.$eval('#cmp-counts', (e) => e.textContent);
  expect(counts.includes(`其中 ${want.changed_cases} 个结果有变化`), `compare (proposal): the counts shown: "${counts}"`);
  expect(await until(page, () => document.querySelector('#cmp-chart canvas')), 'compare (proposal): the chart of the changes is drawn');
  const lines = () => page.$$eval('#cmp-cases tr.clickable', (rs) => rs.map((r) => Number(r.dataset.line)));
  const first = await lines();
  expect(first.length === Math.min(20, want.changed.length), `compare (proposal): the first page lists ${first.length} changed cases`);
  await page.click('#cmp-cases th:nth-child(2)');
  await page.click('#cmp-cases th:nth-child(1)');
  await page.click('#cmp-cases th:nth-child(1)');
  const sorted = await lines();
  expect(sorted.length === first.length && sorted.every((l, i) => i === 0 || sorted[i - 1] >= l), 'compare (proposal): sorted by line, descending');
  // The first row explained under both files: its A and B values of each number output shown.
  await page.click('#cmp-cases tr.clickable');
  const both = await until(page, () => document.querySelector('#cmp-explain-report')?.shadowRoot?.textContent.length > 0, undefined, 15000);
  const explained = both ? await h.shadowText(page, '#cmp-explain-report') : '';
  const row = want.changed.find((e) => e.line === sorted[0]);
  const values = Object.values(row.outputs).flatMap((d) => [d.a, d.b]).filter((v) => typeof v === 'number').map(h.numberForms);
  expect(both && values.length > 0 && values.every((forms) => forms.some((f) => explained.includes(f))),
    `compare (proposal): case line ${row.line} explained under both files (${values.map((f) => f[0]).join(', ')})`);
  console.log('     screenshot', await h.screenshot(page, path.join(out, 'workbench-compare-cases.png')));
  await page.close();
}

async function editPage(s) {
  const file = 'regions/changchun_2025.pol';
  const page = await h.open(`${s.url}/#/edit/${file}`, { height: 1000 });
  await until(page, () => window.polEditor && document.querySelector('.editor-wrap')?.dataset.checked);
  const original = fs.readFileSync(path.join(served, file), 'utf8');
  const name = 'employer_medical_rate', typo = 'employer_medcal_rate';
  // The misspelt name typed over the right one in the override's line.
  const checked = await page.$eval('.editor-wrap', (e) => Number(e.dataset.checked));
  await page.evaluate((name, typo) => {
    const cm = window.polEditor;
    const line = cm.getValue().split('\n').findIndex((l) => l.startsWith(`override param ${name}`));
    const ch = `override param `.length;
    cm.replaceRange(typo, { line, ch }, { line, ch: ch + name.length });
  }, name, typo);
  const t0 = Date.now();
  await until(page, (n) => Number(document.querySelector('.editor-wrap').dataset.checked) > n, checked);
  const marked = await until(page, () => document.querySelector('.cm-pol-error'));
  const under = marked ? await page.$$eval('.cm-pol-error', (es) => es.map((e) => e.textContent).join('')) : '';
  expect(under === typo, `edit page: the diagnostic underlines the misspelt name ("${under}", ${Date.now() - t0} ms after the change)`);
  console.log('     screenshot', await h.screenshot(page, path.join(out, 'workbench-edit-error.png')));

  // Fixed, and the 2025 rate changed; saved.
  const fixed = original.replace(`override param ${name}`, `override param ${name}`)
    .replace(/^(\s*)7% from 2025-04-01/m, '$18% from 2025-04-01');
  expect(fixed !== original, 'edit page: the new rate is written into the text');
  await page.evaluate((t) => window.polEditor.setValue(t), fixed);
  await until(page, () => !document.querySelector('.cm-pol-error'));
  await page.click('#ed-save');
  const saved = await until(page, () => document.querySelector('#ed-saved'));
  expect(saved && fs.readFileSync(path.join(served, file), 'utf8') === fixed, 'edit page: saved to the served file');
  expect(fs.readdirSync(path.join(served, 'regions')).some((f) => f.startsWith('changchun_2025.pol.~')), 'edit page: the previous text kept as a backup');
  console.log('     screenshot', await h.screenshot(page, path.join(out, 'workbench-edit-saved.png')));
  await page.close();

  // The case page now computes with the new rate: the value pol eval gives on the saved file.
  const caseFile = path.join(tmp, 'case.json');
  const platform = { worker_type: 'platform_worker', lives_in_jilin: true, gender: 'male', mode: 'combined', as_of: '2025-08-01' };
  fs.writeFileSync(caseFile, JSON.stringify(platform));
  const evaluated = JSON.parse(cli(['eval', path.join(served, file), caseFile, '--format', 'json'])).outputs;
  const before = JSON.parse(cli(['eval', path.join(src, 'policies', file), caseFile, '--format', 'json'])).outputs;
  expect(evaluated.monthly_contribution !== before.monthly_contribution, 'edit: the new rate changes the monthly contribution');
  const c = await h.open(`${s.url}/#/case/changchun_2025`, { height: 1000 });
  await until(c, () => document.querySelector('#in-worker_type'));
  await c.$eval('#case-at', (e) => (e.value = '2025-08-01'));
  const v0 = await version(c);
  await fill(c, { worker_type: 'platform_worker', lives_in_jilin: 'true', gender: 'male', mode: 'combined' });
  await explained(c, v0);
  await sleep(300);
  const text = await h.shadowText(c, '#explanation-report');
  expect(text.includes(String(evaluated.monthly_contribution)) && !text.includes(String(before.monthly_contribution)),
    `case page after the save: monthly contribution ${evaluated.monthly_contribution} (was ${before.monthly_contribution})`);
  console.log('     screenshot', await h.screenshot(c, path.join(out, 'workbench-case-after-edit.png')));
  await c.close();
}

// The case form reads as an analyst reads: a bound that is another input is shown by that
// input's label, and no field's hint names a type of the rule file (bool, date, years, Gender…).
async function formWords(s) {
  const pol = (await api(s.url, 'GET', '/policies/jilin_2025')).data;
  const page = await h.open(s.url + '/#/case/jilin_2025');
  await until(page, () => document.querySelector('#in-total_years'));
  expect(await page.evaluate(() => navigator.language) === h.LOCALE, `the browser runs in ${h.LOCALE}`);
  const hints = Object.fromEntries(await page.$$eval('.field[data-name]', (fs) => fs.map((f) => [f.dataset.name, f.querySelector('.hint').textContent])));
  const byName = new Map(pol.inputs.map((x) => [x.name, x]));
  const linked = pol.inputs.filter((x) => typeof x.max === 'string' && byName.has(x.max));
  expect(linked.length > 0 && linked.every((x) => hints[x.name].includes(byName.get(x.max).label) && !hints[x.name].includes(x.max)),
    `case page: a bound that is another input shows its label (${linked.map((x) => hints[x.name]).join(' | ')})`);
  const leaks = pol.inputs.filter((x) => new RegExp(`\\b${x.type}\\b`).test(hints[x.name]));
  expect(leaks.length === 0, `case page: no hint names a type of the rule file${leaks.length ? ' (' + leaks.map((x) => hints[x.name]).join(' | ') + ')' : ''}`);
  await page.close();
}

// The page in English (?lang=en): its headings from the English table, and the server's
// explanation in English as the API gives it for lang=en.
async function englishPage(s) {
  const { en } = require(path.resolve(src, 'web', 'js', 'messages.js')).tables;
  const page = await h.open(s.url + '/?lang=en#/case/jilin_2025');
  await until(page, () => document.querySelector('#in-total_years'));
  await page.$eval('#case-at', (e) => (e.value = '2025-08-01'));
  const v0 = await version(page);
  await fill(page, retiree);
  await explained(page, v0);
  await sleep(300);
  const heads = await page.evaluate(() => ({ lang: document.documentElement.lang, nav: document.querySelector('#nav a').textContent,
    h1: document.querySelector('h1').textContent, h2: [...document.querySelectorAll('h2')].map((x) => x.textContent) }));
  expect(heads.lang === 'en' && heads.nav === en['nav.policies'] && heads.h1.startsWith(en['case.title']) && heads.h2.includes(en['case.explanation']),
    `?lang=en: English headings (${heads.nav} · ${heads.h1} · ${heads.h2.join(', ')})`);
  const r = await fetch(s.url + '/api/v1/policies/jilin_2025/explain?format=html&lang=en', { method: 'POST', body: JSON.stringify({ case: retireeCase, at: '2025-08-01' }), headers: { 'Content-Type': 'application/json' } });
  const html = await r.text();
  const first = (/<h2[^>]*>([^<]*)</.exec(html) || [])[1];
  const shown = await page.$eval('#explanation-report', (e) => [...e.shadowRoot.querySelectorAll('h2')].map((x) => x.textContent));
  expect(first && !/[\u4e00-\u9fff]/.test(first) && shown.includes(first), `?lang=en: the explanation in the server's English (${first})`);
  console.log('     screenshot', await h.screenshot(page, path.join(out, 'workbench-case-en.png')));
  await page.close();
}

(async () => {
  const s = await h.serve(pol, [served, '--edit', '--web', path.join(src, 'web')], { cwd: src, env });
  try {
    for (const scenario of [policiesPage, policyPage, casePage, formWords, englishPage, readingsPage, comparePage, editPage]) {
      try {
        await scenario(s);
      } catch (e) {
        failures.push(`${scenario.name}: ${e.stack || e}`);
        console.log(`FAIL ${scenario.name}: ${e.message}`);
      }
    }
  } finally {
    await h.close();
    await s.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  if (failures.length) {
    console.error(`${failures.length} check(s) failed:\n  ${failures.join('\n  ')}`);
    process.exit(1);
  }
  console.log('the workbench: every scenario holds');
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
