// Edit (only with pol serve --edit): a rule file in CodeMirror, checked by POST /check as
// the analyst types (diagnostics underlined at their span), names explained on hover, saved
// by PUT /files/{path} with its conflict (409) and backup rules.
'use strict';
async function EditPage(main, args, _query, ctx) {
  const { el } = UI;
  if (!ctx.editable)
    return main.append(el('h1', {}, t('ed.title')), el('div', { class: 'note-box' }, t('ed.read_only')));
  const path = args.join('/');
  const r = await Api.policies();
  if (!r.ok) return main.append(UI.errorBox(r.error));
  const files = r.data.policies;
  const pick = el('select', { id: 'ed-file', 'aria-label': t('ed.file_label') }, files.map((p) => el('option', { value: p.file, selected: p.file === path }, p.file)));
  pick.addEventListener('change', () => (location.hash = `#/edit/${pick.value}`));
  if (!path) return void (location.hash = `#/edit/${files[0].file}`);
  const f = await Api.file(path);
  if (!f.ok) return main.append(UI.errorBox(f.error));
  let hash = f.data.hash;
  const entry = files.find((p) => p.file === path);
  // The names the file declares (and inherits), for the hover: from the last good check.
  let symbols = new Map();
  async function loadSymbols() {
    if (!entry) return;
    const d = await Api.policy(entry.name);
    if (!d.ok || !d.data.inputs) return;
    symbols = new Map();
    const kinds = [['inputs', UI.kindWord('input')], ['parameters', UI.kindWord('param')], ['outputs', UI.kindWord('output')], ['definitions', UI.kindWord('let')]];
    for (const [k, word] of kinds) for (const s of d.data[k]) symbols.set(s.name, { ...s, word });
  }

  const wrap = el('div', { class: 'editor-wrap' });
  const diagList = el('div', { id: 'ed-diags' });
  const state = el('span', { id: 'ed-state', class: 'muted' });
  const result = el('div', { id: 'ed-result' });
  const saveBtn = el('button', { type: 'button', class: 'primary', id: 'ed-save' }, t('ed.save'));
  main.append(el('h1', {}, t('ed.title')),
    el('div', { class: 'toolbar' }, el('label', {}, t('ed.file'), pick), saveBtn, state,
      entry ? el('a', { href: `#/case/${encodeURIComponent(entry.name)}` }, t('ed.use')) : null),
    result,
    el('div', { class: 'edit-grid' }, wrap, el('div', {}, el('h3', {}, t('ed.diagnostics')), diagList)));
  const cm = CodeMirror(wrap, { value: f.data.text, mode: 'pol', lineNumbers: true, lineWrapping: true, indentUnit: 2 });
  window.polEditor = cm;
  let marks = [];
  let diags = [];

  const pos = (line, col) => ({ line: line - 1, ch: col - 1 });
  function showDiagnostics(list) {
    for (const m of marks) m.clear();
    marks = [];
    diags = list.filter((d) => d.file === path || d.file === null);
    diagList.innerHTML = '';
    if (!diags.length) diagList.append(el('div', { class: 'diag' }, t('ed.clean')));
    for (const d of diags) {
      if (d.line) {
        let a = pos(d.line, d.column), b = pos(d.end_line, d.end_column);
        if (a.line === b.line && a.ch === b.ch) b = { line: b.line, ch: b.ch + 1 };
        marks.push(cm.markText(a, b, { className: d.severity === 'error' ? 'cm-pol-error' : 'cm-pol-warning', attributes: { 'data-code': d.code } }));
      }
      diagList.append(el('div', { class: `diag ${d.severity}`, onclick: () => d.line && (cm.setCursor(pos(d.line, d.column)), cm.focus()) },
        el('b', {}, `${d.line ? d.line + ':' + d.column : ''} ${d.code}`), ' ', d.message));
    }
    const errors = diags.filter((d) => d.severity === 'error').length;
    state.textContent = errors ? t('ed.errors', errors) : t('ed.no_errors');
  }

  let inflight = null;
  async function check() {
    if (inflight) inflight.abort();
    const ctl = (inflight = new AbortController());
    let res;
    try {
      res = await Api.check(cm.getValue(), path, ctl.signal);
    } catch (e) {
      return;
    }
    if (ctl !== inflight) return;
    inflight = null;
    if (!res.ok) return (state.textContent = res.error.message);
    showDiagnostics(res.data.diagnostics);
    wrap.dataset.checked = String(Number(wrap.dataset.checked || 0) + 1);
  }
  cm.on('change', () => {
    state.textContent = t('ed.checking');
    soon();
  });
  const soon = UI.debounce(250, check);

  // Hover: a diagnostic's message, or a name's label, kind and clause.
  const tip = el('div', { class: 'tip', hidden: true, id: 'ed-tip' });
  document.body.append(tip);
  cm.getWrapperElement().addEventListener('mousemove', (ev) => {
    const p = cm.coordsChar({ left: ev.clientX, top: ev.clientY }, 'window');
    const idx = cm.indexFromPos(p);
    const d = diags.find((x) => x.line && cm.indexFromPos(pos(x.line, x.column)) <= idx && idx <= cm.indexFromPos(pos(x.end_line, x.end_column)));
    const w = cm.findWordAt(p);
    const word = cm.getRange(w.anchor, w.head);
    const s = symbols.get(word);
    const text = d ? d.message : s ? t('punct.colon', s.word) + s.label + (s.clause ? t('ed.tip_clause', s.clause) : '') + (s.reading ? t('ed.tip_reading', s.reading) : '') : '';
    tip.hidden = !text;
    tip.textContent = text;
    tip.style.left = ev.clientX + 14 + 'px';
    tip.style.top = ev.clientY + 16 + 'px';
  });
  cm.getWrapperElement().addEventListener('mouseleave', () => (tip.hidden = true));

  async function save(anyway) {
    result.innerHTML = '';
    const res = await Api.putFile(path, { text: cm.getValue(), replaces: hash, save_anyway: !!anyway });
    if (res.ok) {
      hash = res.data.hash;
      result.append(el('div', { class: 'note-box', id: 'ed-saved' }, t('ed.saved', res.data.path),
        res.data.backup ? t('ed.backup', res.data.backup) : '', t('ed.saved_note')));
      showDiagnostics(res.data.diagnostics);
      await loadSymbols();
      return;
    }
    result.append(UI.errorBox(res.error));
    if (res.status === 409)
      result.append(el('div', { class: 'toolbar' }, t('ed.conflict'),
        el('button', { type: 'button', onclick: () => App.show() }, t('ed.reload')),
        el('button', { type: 'button', onclick: async () => {
          const now = await Api.file(path);
          if (now.ok) (hash = now.data.hash), save(false);
        } }, t('ed.overwrite'))));
    if (res.status === 422) {
      if (res.data.diagnostics) showDiagnostics(res.data.diagnostics);
      result.append(el('div', { class: 'toolbar' }, el('button', { type: 'button', onclick: () => save(true) }, t('ed.save_anyway'))));
    }
  }
  saveBtn.addEventListener('click', () => save(false));
  await loadSymbols();
  await check();
  return () => tip.remove();
}
