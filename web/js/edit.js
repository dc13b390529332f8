// Edit (only with pol serve --edit): a rule file in CodeMirror, checked by POST /check as
// the analyst types (diagnostics underlined at their span), names explained on hover, saved
// by PUT /files/{path} with its conflict (409) and backup rules.
'use strict';
async function EditPage(main, args, _query, ctx) {
  const { el } = UI;
  if (!ctx.editable)
    return main.append(el('h1', {}, '编辑规则'), el('div', { class: 'note-box' }, '服务器以只读方式运行：用 pol serve --edit 启动后才能在这里编辑和保存规则文件。'));
  const path = args.join('/');
  const r = await Api.policies();
  if (!r.ok) return main.append(UI.errorBox(r.error));
  const files = r.data.policies;
  const pick = el('select', { id: 'ed-file', 'aria-label': '规则文件' }, files.map((p) => el('option', { value: p.file, selected: p.file === path }, p.file)));
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
    const kinds = [['inputs', '输入'], ['parameters', '参数'], ['outputs', '输出'], ['definitions', '中间量']];
    for (const [k, word] of kinds) for (const s of d.data[k]) symbols.set(s.name, { ...s, word });
  }

  const wrap = el('div', { class: 'editor-wrap' });
  const diagList = el('div', { id: 'ed-diags' });
  const state = el('span', { id: 'ed-state', class: 'muted' });
  const result = el('div', { id: 'ed-result' });
  const saveBtn = el('button', { type: 'button', class: 'primary', id: 'ed-save' }, '保存');
  main.append(el('h1', {}, '编辑规则'),
    el('div', { class: 'toolbar' }, el('label', {}, '文件', pick), saveBtn, state,
      entry ? el('a', { href: `#/case/${encodeURIComponent(entry.name)}` }, '用它计算案例') : null),
    result,
    el('div', { class: 'edit-grid' }, wrap, el('div', {}, el('h3', {}, '检查结果'), diagList)));
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
    if (!diags.length) diagList.append(el('div', { class: 'diag' }, '没有错误或警告。'));
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
    state.textContent = errors ? `${errors} 个错误` : '没有错误';
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
    state.textContent = '检查中…';
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
    const text = d ? d.message : s ? `${s.word}：${s.label}${s.clause ? ' · 条款 ' + s.clause : ''}${s.reading ? '\n解读：' + s.reading : ''}` : '';
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
      result.append(el('div', { class: 'note-box', id: 'ed-saved' }, `已保存 ${res.data.path}`,
        res.data.backup ? `；原来的文本保留为 ${res.data.backup}` : '', '。案例和比较页面从现在起使用新的规则。'));
      showDiagnostics(res.data.diagnostics);
      await loadSymbols();
      return;
    }
    result.append(UI.errorBox(res.error));
    if (res.status === 409)
      result.append(el('div', { class: 'toolbar' }, '文件在磁盘上已被改动：',
        el('button', { type: 'button', onclick: () => App.show() }, '放弃我的修改，重新载入'),
        el('button', { type: 'button', onclick: async () => {
          const now = await Api.file(path);
          if (now.ok) (hash = now.data.hash), save(false);
        } }, '用我的文本覆盖（原文本仍留备份）')));
    if (res.status === 422) {
      if (res.data.diagnostics) showDiagnostics(res.data.diagnostics);
      result.append(el('div', { class: 'toolbar' }, el('button', { type: 'button', onclick: () => save(true) }, '仍然保存（带着错误）')));
    }
  }
  saveBtn.addEventListener('click', () => save(false));
  await loadSymbols();
  await check();
  return () => tip.remove();
}
