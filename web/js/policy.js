// One policy: its declarations grouped by clause beside the source text; every dated value of
// each parameter with its source, placeholders flagged; the readings; the diagnostics.
'use strict';
async function PolicyPage(main, args, _query, ctx) {
  const { el } = UI;
  const name = args[0];
  const r = await Api.policy(name);
  if (!r.ok) return main.append(UI.errorBox(r.error));
  const d = r.data;
  if (d.policy && !d.inputs) return brokenPolicy(main, d);
  const src = await Api.file(d.file);
  const text = src.ok ? src.data.text : '';
  const lines = text.split('\n');

  UI.add(main, [el('h1', {}, d.title),
    el('p', { class: 'sub' }, [d.issuer, d.number, d.effective ? t('policy.effective', d.effective) : null, d.file].filter(Boolean).join(' · ')),
    d.bases.length ? el('p', {}, t('policy.bases'), d.bases.map((b, i) => [i ? t('list.sep') : '', el('a', { href: `#/policy/${encodeURIComponent(b.name)}` }, b.title)]),
      t('policy.bases_note')) : null,
    el('div', { class: 'toolbar' },
      el('a', { href: `#/case/${encodeURIComponent(name)}` }, el('button', { class: 'primary' }, t('policy.use'))),
      ctx.editable ? el('a', { href: `#/edit/${d.file}` }, el('button', {}, t('policy.edit'))) : null,
      el('button', { id: 'to-doc', onclick: () => main.querySelector('.doc-view')?.scrollIntoView({ block: 'start' }) }, t('policy.to_doc')),
      el('span', { class: 'muted' }, t('policy.counts', d.inputs.length, d.parameters.length, d.outputs.length, d.tests)))]);

  // The line that declares `sym` in this file (a declaration inherited from the base has none).
  const declLine = (word, sym) => {
    const re = new RegExp(`^\\s*(override\\s+)?${word}\\s+${sym}\\b`);
    return lines.findIndex((l) => re.test(l));
  };
  const pre = el('pre', { class: 'source', 'aria-label': t('policy.source') },
    lines.map((l, i) => el('span', { class: 'ln', 'data-n': i + 1, id: `src-${i + 1}` }, l || ' ')));
  const jump = (line) => {
    if (line < 0) return;
    for (const e of pre.querySelectorAll('.hit')) e.classList.remove('hit');
    const target = pre.querySelector(`#src-${line + 1}`);
    target.classList.add('hit');
    pre.scrollTop = target.offsetTop - pre.clientHeight / 3;
  };

  const clauses = new Map();
  const put = (clause, node) => {
    const k = clause || t('policy.no_clause');
    if (!clauses.has(k)) clauses.set(k, []);
    clauses.get(k).push(node);
  };
  const decl = (kind, word, s, extra) => {
    const line = declLine(word, s.name);
    return el('div', { class: 'decl', onclick: () => jump(line), title: line >= 0 ? t('policy.line', line + 1) : t('policy.in_base') },
      el('span', { class: 'badge' }, kind), ' ', el('b', {}, s.label), ' ', el('span', { class: 'name' }, s.name),
      s.overridden ? [' ', el('span', { class: 'badge warn' }, t('policy.overridden'))] : null,
      extra || null,
      s.reading ? el('div', { class: 'reading' }, t('policy.reading'), s.reading) : null);
  };
  const symbols = [...d.inputs, ...d.parameters, ...d.definitions];
  for (const s of d.inputs) {
    const facts = [s.values ? t('policy.values', s.values.map((v) => v.label).join(t('list.sep'))) : t('policy.type', UI.typeText(s)),
      s.default !== null ? t('bound.default', UI.valueText(s.default, s)) : t('policy.must_fill'),
      s.min !== null ? t('bound.min', UI.boundText(s.min, s, symbols)) : null,
      s.max !== null ? t('bound.max', UI.boundText(s.max, s, symbols)) : null].filter(Boolean);
    put(s.clause, decl(UI.kindWord('input'), 'input', s, el('div', { class: 'muted' }, facts.join(t('list.semi')))));
  }
  for (const s of d.parameters) {
    const table = el('table', { class: 'values' },
      el('tr', {}, el('th', {}, t('policy.h.from')), el('th', { class: 'num' }, t('policy.h.value')), el('th', {}, t('policy.h.source'))),
      s.values.map((v) => el('tr', { class: v.placeholder ? 'placeholder' : null },
        el('td', {}, v.from || '—'), el('td', { class: 'num' }, UI.valueText(v.value, s)),
        el('td', {}, v.placeholder ? [el('span', { class: 'badge warn' }, t('policy.placeholder')), ' '] : null, v.source || '—'))));
    put(s.clause, decl(UI.kindWord('param'), 'param', s, table));
  }
  for (const s of d.outputs) put(s.clause, decl(UI.kindWord('output'), 'output', s));
  for (const s of d.definitions) put(s.clause, decl(UI.kindWord('let'), 'let', s));
  for (const c of d.constraints)
    put(c.clause, el('div', { class: 'decl' }, el('span', { class: 'badge' }, t('policy.constraint')), ' ', c.message, el('div', { class: 'name' }, c.condition)));
  for (const n of d.notes) put(n.clause, el('div', { class: 'decl' }, el('span', { class: 'badge' }, t('policy.note')), ' ', n.text));

  const left = el('div', {},
    d.diagnostics.length ? el('details', {}, el('summary', {}, t('policy.diagnostics', d.diagnostics.length)),
      el('ul', {}, d.diagnostics.map((x) => el('li', {}, t('punct.colon', `${x.file}:${x.line}`), x.message)))) : null,
    [...clauses].map(([k, nodes]) => el('section', { class: 'clause' }, el('h3', {}, t('policy.clause', k)), nodes)));
  main.append(el('div', { class: 'cols' }, left, el('div', {}, pre)));
  await sourceDoc(main, name);
}

// The page of `pol doc --format html` (GET /policies/{name}/doc) in a frame sized to its
// content: the source text clause by clause with what cites each clause.
async function sourceDoc(main, name) {
  const { el } = UI;
  const box = el('section', { class: 'doc-view' }, el('h2', {}, t('policy.doc')), el('p', { class: 'muted' }, t('policy.doc_note')));
  main.append(box);
  const r = await Api.call('GET', `/policies/${encodeURIComponent(name)}/doc`, { query: [['format', 'html']] });
  if (!r.ok) return box.append(UI.errorBox(r.error));
  const frame = el('iframe', { class: 'doc-frame', title: t('policy.doc_title'), sandbox: 'allow-same-origin' });
  const fit = () => {
    const doc = frame.contentDocument;
    if (doc && doc.documentElement) frame.style.height = doc.documentElement.scrollHeight + 'px';
  };
  frame.addEventListener('load', () => {
    fit();
    if (window.ResizeObserver && frame.contentDocument) new ResizeObserver(fit).observe(frame.contentDocument.documentElement);
  });
  frame.srcdoc = r.data;
  box.append(frame);
}

function brokenPolicy(main, d) {
  const { el } = UI;
  main.append(el('h1', {}, d.policy.name),
    UI.errorBox({ message: t('policy.broken', d.policy.file, d.policy.errors) }),
    el('ul', {}, d.diagnostics.map((x) => el('li', {}, t('punct.colon', `${x.file || ''}:${x.line || ''}`), x.message))));
}
