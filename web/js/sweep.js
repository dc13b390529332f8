// Sweep: one input or parameter over a range for the case of the case page, under one or more
// policies (POST /policies/{name}/sweep, which runs pol sweep): a chart with one panel and
// axis per unit, values on hover, and the table beside it.
'use strict';
async function SweepPage(main, _args, query) {
  const { el } = UI;
  const kept = CaseStore.get();
  const select = el('select', { id: 'sw-policy', 'aria-label': t('sw.policy') });
  const list = await UI.policyOptions(select, query.get('policy') || (kept && kept.policy));
  const ok = list.filter((p) => p.status === 'ok');
  const others = el('div', { class: 'toolbar', id: 'sw-with' });
  const vary = el('select', { id: 'sw-vary', 'aria-label': t('sw.vary') });
  const from = el('input', { type: 'text', id: 'sw-from', size: 8 }), to = el('input', { type: 'text', id: 'sw-to', size: 8 });
  const step = el('input', { type: 'text', id: 'sw-step', size: 6, placeholder: t('sw.auto') });
  const at = el('input', { type: 'date', id: 'sw-at', value: (kept && kept.at) || UI.today() });
  const outputs = el('div', { class: 'toolbar', id: 'sw-outputs' });
  const caseNote = el('p', { class: 'muted', id: 'sw-case' });
  const out = el('div', { id: 'sw-out' });
  let pol = null;
  let chart = null;

  async function load() {
    const r = await Api.policy(select.value);
    if (!r.ok) return out.append(UI.errorBox(r.error));
    pol = r.data;
    vary.innerHTML = '';
    const numeric = (s) => UI.isNumberType(s.type);
    vary.append(el('optgroup', { label: t('sw.inputs') }, pol.inputs.filter(numeric).map((s) => el('option', { value: s.name, 'data-kind': 'input' }, s.label))),
      el('optgroup', { label: t('sw.params') }, pol.parameters.filter(numeric).map((s) => el('option', { value: s.name, 'data-kind': 'param' }, s.label))));
    const preferred = pol.inputs.find((s) => s.name === 'jilin_years');
    if (preferred) vary.value = preferred.name;
    setRange();
    outputs.innerHTML = '';
    outputs.append(el('span', {}, t('sw.outputs')));
    for (const o of pol.outputs.filter(numeric))
      outputs.append(el('label', {}, el('input', { type: 'checkbox', value: o.name, checked: true }), o.label));
    others.innerHTML = '';
    others.append(el('span', {}, t('sw.with')));
    for (const p of ok.filter((p) => p.name !== select.value))
      others.append(el('label', {}, el('input', { type: 'checkbox', value: p.name }), p.title || p.name));
    const c = kept && kept.fields ? Object.entries(kept.fields) : [];
    const said = ([k, v]) => {
      const s = pol.inputs.find((x) => x.name === k);
      return `${s ? s.label : k} = ${s ? UI.valueText(v === 'true' ? true : v === 'false' ? false : v, s) : v}`;
    };
    caseNote.textContent = c.length ? t('sw.case', c.map(said).join(t('list.semi'))) : t('sw.no_case');
  }
  function setRange() {
    const s = [...pol.inputs, ...pol.parameters].find((x) => x.name === vary.value);
    if (!s) return;
    if (s.values && s.values.length) {
      const v = s.values[s.values.length - 1].value;
      const text = s.type === 'rate' ? +(v * 100).toPrecision(12) + '%' : String(v);
      from.value = text;
      to.value = text;
    } else {
      from.value = String(s.min !== null && typeof s.min === 'number' ? s.min : 0);
      to.value = s.type === 'money' ? '10000' : '30';
    }
    step.value = s.type === 'money' ? '500' : s.type === 'rate' ? '' : '1';
  }

  async function run() {
    out.innerHTML = '';
    const range = `${vary.value}=${from.value.trim()}..${to.value.trim()}${step.value.trim() ? ':' + step.value.trim() : ''}`;
    const withs = [...others.querySelectorAll('input:checked')].map((i) => i.value);
    const names = [...outputs.querySelectorAll('input:checked')].map((i) => i.value);
    const fields = {};
    for (const [k, v] of Object.entries((kept && kept.fields) || {})) {
      const s = pol.inputs.find((x) => x.name === k);
      if (s) fields[k] = { kind: s.values || s.type === 'date' ? 'text' : s.type === 'bool' ? 'bool' : 'number', value: v };
    }
    const rest = {};
    if (at.value) rest.at = at.value;
    if (names.length) rest.outputs = names;
    UI.status(t('sw.running'));
    const res = await Api.call('POST', `/policies/${encodeURIComponent(select.value)}/sweep`,
      { query: [['vary', range], ...withs.map((w) => ['with', w])], body: Api.caseBody(Api.caseJson(fields), rest) });
    UI.status('');
    if (!res.ok) return out.append(UI.errorBox(res.error));
    const described = new Map([[pol.name, pol]]);
    for (const w of withs) {
      const r = await Api.policy(w);
      if (r.ok) described.set(w, r.data);
    }
    draw(parseCsv(res.data), described);
  }

  function draw(rows, described) {
    const [head, ...body] = rows;
    const xs = body.map((r) => r[0]);
    const s = [...pol.inputs, ...pol.parameters].find((x) => x.name === vary.value);
    const cols = head.slice(1, -1).map((h, i) => {
      const [p, o] = h.split(':');
      const d = described.get(p);
      const sym = d && d.outputs.find((x) => x.name === o);
      return { i: i + 1, policy: p, title: d ? d.title : p, label: sym ? sym.label : o, type: sym ? sym.type : 'number', sym };
    });
    const many = described.size > 1;
    const units = [...new Set(cols.map((c) => UI.unitOf(c.type)).filter(Boolean))];
    const height = Math.max(360, 80 + units.length * 260);
    const box = el('div', { class: 'chart', id: 'sw-chart', style: `height:${height}px` });
    const xfmt = (v) => UI.valueText(Number(v), s);
    const table = el('table', { id: 'sw-table' },
      el('tr', {}, el('th', {}, s ? s.label : vary.value), cols.map((c) => el('th', { class: 'num', title: c.title }, many ? `${c.label} · ${c.policy}` : c.label)), el('th', {}, t('sw.note'))),
      body.map((r) => el('tr', {}, el('td', { class: 'num' }, xfmt(r[0])),
        cols.map((c) => el('td', { class: 'num' }, r[c.i] === '' ? '—' : UI.valueText(Number(r[c.i]), c.sym))), el('td', {}, r[r.length - 1] || ''))));
    out.append(el('div', { class: 'sweep-grid' }, box, el('div', { class: 'table-scroll' }, table)));
    if (chart) chart.dispose();
    chart = echarts.init(box);
    const ph = (height - 80) / units.length; // a panel each unit, under the legend
    const grids = units.map((u, k) => ({ left: 80, right: 30, top: 48 + k * ph, height: ph - 58 }));
    chart.setOption({
      textStyle: { fontFamily: getComputedStyle(document.documentElement).fontFamily },
      legend: { type: 'scroll', top: 0 },
      tooltip: { trigger: 'axis', confine: true },
      axisPointer: { link: [{ xAxisIndex: 'all' }] },
      grid: grids,
      xAxis: units.map((u, k) => ({ type: 'category', gridIndex: k, data: xs.map(xfmt), name: k === units.length - 1 ? (s ? s.label : '') : '',
        nameLocation: 'middle', nameGap: 28, boundaryGap: false })),
      yAxis: units.map((u, k) => ({ type: 'value', gridIndex: k, name: t('sw.unit', u), scale: true,
        axisLabel: { formatter: u === '%' ? (v) => +(v * 100).toPrecision(10) + '%' : null } })),
      series: cols.filter((c) => UI.unitOf(c.type)).map((c) => {
        const k = units.indexOf(UI.unitOf(c.type));
        return { name: many ? `${c.label} · ${c.policy}` : c.label, type: 'line', xAxisIndex: k, yAxisIndex: k, showSymbol: body.length <= 40,
          data: body.map((r) => (r[c.i] === '' ? null : Number(r[c.i]))),
          tooltip: { valueFormatter: (v) => (v === null || v === undefined ? '—' : UI.valueText(v, c.sym) + (UI.unitOf(c.type) === '%' ? '' : ' ' + UI.unitOf(c.type))) } };
      }),
    });
    new ResizeObserver(() => chart && chart.resize()).observe(box);
  }

  select.addEventListener('change', load);
  vary.addEventListener('change', setRange);
  main.append(el('h1', {}, t('sw.title')),
    el('div', { class: 'toolbar' }, el('label', {}, t('sw.policy'), select), el('label', {}, t('sw.at'), at)),
    others,
    el('div', { class: 'toolbar' }, el('label', {}, t('sw.vary'), vary), el('label', {}, t('sw.from'), from), el('label', {}, t('sw.to'), to), el('label', {}, t('sw.step'), step),
      el('button', { type: 'button', class: 'primary', id: 'sw-run', onclick: run }, t('sw.run'))),
    outputs, caseNote, out);
  await load();
  return () => chart && chart.dispose();
}

// CSV as pol writes it: fields quoted with "" when they hold a comma, a quote or a newline.
function parseCsv(text) {
  const rows = [];
  let row = [], cell = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(cell), (cell = '');
    else if (ch === '\n') row.push(cell), rows.push(row), (row = []), (cell = '');
    else if (ch !== '\r') cell += ch;
  }
  if (cell !== '' || row.length) row.push(cell), rows.push(row);
  return rows;
}
