#!/usr/bin/env node
// The workbench's words (web/js/messages.js), without a browser: the Chinese and English tables
// have the same keys and each key the same placeholders; every key the pages name literally
// (t('KEY'…), data-msg="KEY") is in them; and no page file but messages.js holds a Chinese
// character (words a user reads live in the tables, never in the code).
//
//   node tests/browser/messages.test.js SOURCE_DIR
// Exit 0 when every check holds, 1 otherwise.
'use strict';
const fs = require('fs');
const path = require('path');

const [src] = process.argv.slice(2);
if (!src) {
  console.error('usage: messages.test.js SOURCE_DIR');
  process.exit(2);
}
const failures = [];
const expect = (cond, what) => {
  if (!cond) failures.push(what);
  console.log(`${cond ? 'ok  ' : 'FAIL'} ${what}`);
};

const web = path.resolve(src, 'web');
const Messages = require(path.join(web, 'js', 'messages.js'));
const { zh, en } = Messages.tables;

const onlyIn = (a, b) => Object.keys(a).filter((k) => !(k in b));
expect(Object.keys(zh).length > 50, `the tables hold the pages' words (${Object.keys(zh).length} keys)`);
const zhOnly = onlyIn(zh, en), enOnly = onlyIn(en, zh);
expect(!zhOnly.length && !enOnly.length,
  `zh and en have the same keys${zhOnly.length ? '; only in zh: ' + zhOnly.join(' ') : ''}${enOnly.length ? '; only in en: ' + enOnly.join(' ') : ''}`);
const holes = (s) => [...s.matchAll(/\{(\d+)\}/g)].map((m) => m[1]).sort().join(',');
const unlike = Object.keys(zh).filter((k) => k in en && holes(zh[k]) !== holes(en[k]));
expect(!unlike.length, `each key has the same placeholders in both${unlike.length ? ': not ' + unlike.join(' ') : ''}`);
const untranslated = Object.keys(en).filter((k) => /[^\x00-\x7f’“”…·→−—⚠]/.test(en[k]));
expect(!untranslated.length, `the English table is English${untranslated.length ? ': not ' + untranslated.join(' ') : ''}`);
expect(Messages.t('policy.counts', 1, 2, 3, 4).includes('4') && !/\{\d\}/.test(Messages.t('policy.counts', 1, 2, 3, 4)),
  't() fills the placeholders');

// Chinese characters, CJK punctuation and full-width forms.
const cjk = /[\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]/;
const cjkLines = (text) => text.split('\n').map((l, i) => [i + 1, l]).filter(([, l]) => cjk.test(l));
expect(cjkLines('a\nconst x = "条款";').length === 1 && cjkLines('x：y').length === 1 && !cjkLines('A → B · 5%').length,
  'the check finds a Chinese word or punctuation mark in code');
const files = [...fs.readdirSync(path.join(web, 'js')).filter((f) => f.endsWith('.js') && f !== 'messages.js').map((f) => path.join('js', f)),
  'index.html', 'app.css'];
for (const f of files) {
  const found = cjkLines(fs.readFileSync(path.join(web, f), 'utf8'));
  expect(!found.length, `web/${f} holds no Chinese text${found.length ? ': ' + found.map(([n, l]) => `${n}: ${l.trim().slice(0, 60)}`).join(' | ') : ''}`);
}

// Every key named literally is in the tables.
const used = new Set();
for (const f of files) {
  const text = fs.readFileSync(path.join(web, f), 'utf8');
  for (const m of text.matchAll(/\bt\(\s*'([a-z_.]+)'/g)) used.add(m[1]);
  for (const m of text.matchAll(/data-msg="([a-z_.]+)"/g)) used.add(m[1]);
}
// (A key built at run time, t('cmp.h.' + h), is named by its prefix: some key begins with it.)
const unknown = [...used].filter((k) => (k.endsWith('.') ? !Object.keys(zh).some((x) => x.startsWith(k)) : !(k in zh)));
expect(used.size > 50 && !unknown.length, `every key the pages name is in the tables (${used.size} named)${unknown.length ? '; unknown: ' + unknown.join(' ') : ''}`);

if (failures.length) {
  console.log(`${failures.length} check(s) failed`);
  process.exit(1);
}
console.log('all checks passed');
