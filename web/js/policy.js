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

  main.append(el('h1', {}, d.title),
    el('p', { class: 'sub' }, [d.issuer, d.number, d.effective ? `${d.effective} 起施行` : null, d.file].filter(Boolean).join(' · ')),
    d.bases.length ? el('p', {}, '依据：', d.bases.map((b, i) => [i ? '、' : '', el('a', { href: `#/policy/${encodeURIComponent(b.name)}` }, b.title)]),
      '（本文件只写出与之不同的部分；下列声明含继承的部分）') : null,
    el('div', { class: 'toolbar' },
      el('a', { href: `#/case/${encodeURIComponent(name)}` }, el('button', { class: 'primary' }, '用这份文件计算案例')),
      ctx.editable ? el('a', { href: `#/edit/${d.file}` }, el('button', {}, '编辑规则')) : null,
      el('span', { class: 'muted' }, `${d.inputs.length} 个输入 · ${d.parameters.length} 个参数 · ${d.outputs.length} 个输出 · ${d.tests} 个测试`)));

  // The line that declares `sym` in this file (a declaration inherited from the base has none).
  const declLine = (word, sym) => {
    const re = new RegExp(`^\\s*(override\\s+)?${word}\\s+${sym}\\b`);
    return lines.findIndex((l) => re.test(l));
  };
  const pre = el('pre', { class: 'source', 'aria-label': '规则文件原文' },
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
    const k = clause || '（未注明条款）';
    if (!clauses.has(k)) clauses.set(k, []);
    clauses.get(k).push(node);
  };
  const decl = (kind, word, s, extra) => {
    const line = declLine(word, s.name);
    return el('div', { class: 'decl', onclick: () => jump(line), title: line >= 0 ? `第 ${line + 1} 行` : '在依据文件中声明' },
      el('span', { class: 'badge' }, kind), ' ', el('b', {}, s.label), ' ', el('span', { class: 'name' }, s.name),
      s.overridden ? [' ', el('span', { class: 'badge warn' }, '本地覆盖')] : null,
      extra || null,
      s.reading ? el('div', { class: 'reading' }, '解读：', s.reading) : null);
  };
  for (const s of d.inputs) {
    const facts = [s.values ? '取值：' + s.values.map((v) => v.label).join('、') : `类型：${s.type}`,
      s.default !== null ? `默认 ${UI.valueText(s.default, s)}` : '必须填写',
      s.min !== null ? `最小 ${s.min}` : null, s.max !== null ? `最大 ${s.max}` : null].filter(Boolean);
    put(s.clause, decl('输入', 'input', s, el('div', { class: 'muted' }, facts.join('；'))));
  }
  for (const s of d.parameters) {
    const table = el('table', { class: 'values' },
      el('tr', {}, el('th', {}, '自'), el('th', { class: 'num' }, '数值'), el('th', {}, '来源')),
      s.values.map((v) => el('tr', { class: v.placeholder ? 'placeholder' : null },
        el('td', {}, v.from || '—'), el('td', { class: 'num' }, UI.valueText(v.value, s)),
        el('td', {}, v.placeholder ? [el('span', { class: 'badge warn' }, '⚠ 占位值，未证实'), ' '] : null, v.source || '—'))));
    put(s.clause, decl('参数', 'param', s, table));
  }
  for (const s of d.outputs) put(s.clause, decl('输出', 'output', s));
  for (const s of d.definitions) put(s.clause, decl('中间量', 'let', s));
  for (const c of d.constraints)
    put(c.clause, el('div', { class: 'decl' }, el('span', { class: 'badge' }, '约束'), ' ', c.message, el('div', { class: 'name' }, c.condition)));
  for (const n of d.notes) put(n.clause, el('div', { class: 'decl' }, el('span', { class: 'badge' }, '说明'), ' ', n.text));

  const left = el('div', {},
    d.diagnostics.length ? el('details', {}, el('summary', {}, `检查结果：${d.diagnostics.length} 条提示`),
      el('ul', {}, d.diagnostics.map((x) => el('li', {}, `${x.file}:${x.line}：${x.message}`)))) : null,
    [...clauses].map(([k, nodes]) => el('section', { class: 'clause' }, el('h3', {}, `条款 ${k}`), nodes)));
  main.append(el('div', { class: 'cols' }, left, el('div', {}, pre)));
}

function brokenPolicy(main, d) {
  const { el } = UI;
  main.append(el('h1', {}, d.policy.name),
    UI.errorBox({ message: `${d.policy.file} 有 ${d.policy.errors} 个错误，修正后才能计算。` }),
    el('ul', {}, d.diagnostics.map((x) => el('li', {}, `${x.file || ''}:${x.line || ''}：${x.message}`))));
}
