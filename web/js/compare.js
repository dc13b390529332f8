// Compare: two policies, the static diff, and a population uploaded as CSV, JSON Lines or an
// Excel workbook (POST /diff; a workbook is sent as it is, the policies in the query): per-output summary, transitions, a chart of the changes, the changed cases
// paged and sortable, and one case explained under both files side by side.
'use strict';
async function ComparePage(main, _args, query) {
  const { el } = UI;
  const selA = el('select', { id: 'cmp-a', 'aria-label': 'A' }), selB = el('select', { id: 'cmp-b', 'aria-label': 'B' });
  const list = await UI.policyOptions(selA, query.get('a'));
  await UI.policyOptions(selB, query.get('b'));
  const ok = list.filter((p) => p.status === 'ok');
  if (!query.get('b') && ok.length > 1) selB.value = ok[1].name;
  const at = el('input', { type: 'date', id: 'cmp-at', value: query.get('at') || '' });
  const file = el('input', { type: 'file', id: 'cmp-file', accept: '.csv,.jsonl,.ndjson,.json,.xlsx,text/csv,' + Api.xlsxType });
  const out = el('div', { id: 'cmp-out' });
  let population = null; // {name, csv, text} or {name, xlsx, file}
  let describeA = null, describeB = null;

  const body = (extra = {}) => {
    const b = { a: selA.value, b: selB.value, ...extra };
    if (at.value) b.at = at.value;
    return b;
  };
  const popQuery = () => [['cases', population.csv ? 'csv' : 'jsonl']];
  // POST /diff with the population, if any, and the query keys `q`.
  const diffCall = (q) => {
    if (population && population.xlsx) {
      const head = [['a', selA.value], ['b', selB.value], ...(at.value ? [['at', at.value]] : [])];
      return Api.call('POST', '/diff', { query: [...head, ...q], body: population.file, contentType: Api.xlsxType });
    }
    return Api.call('POST', '/diff', { query: population ? [...popQuery(), ...q] : q, body: body(population ? { cases: population.text } : {}) });
  };

  async function run() {
    out.innerHTML = '';
    UI.status('比较中…');
    const [ra, rb] = await Promise.all([Api.policy(selA.value), Api.policy(selB.value)]);
    describeA = ra.ok ? ra.data : null;
    describeB = rb.ok ? rb.data : null;
    const res = await diffCall(population ? [['show', '100000']] : []);
    UI.status('');
    if (!res.ok) return out.append(UI.errorBox(res.error));
    render(res.data);
  }

  function render(d) {
    out.append(el('h2', {}, `条文与参数的差异（${d.changes.length} 处）`));
    if (!d.related) out.append(el('div', { class: 'note-box' }, '两份文件没有共同的依据：只比较输入和输出。'));
    if (d.changes.length)
      out.append(el('table', { class: 'wide', id: 'cmp-changes' },
        el('tr', {}, ['变化', '类别', '名称', 'A', 'B', '可能影响的输出'].map((h) => el('th', {}, h))),
        d.changes.map((c) => el('tr', {},
          el('td', {}, UI.changeWords[c.change] || c.change), el('td', {}, UI.kindWords[c.kind] || c.kind),
          el('td', {}, el('b', {}, c.label), el('div', { class: 'muted' }, c.name)),
          el('td', {}, c.before_text || '—'), el('td', {}, c.after_text || '—'),
          el('td', {}, c.affects.length ? c.affects.join('、') : '—')))));
    else out.append(el('p', {}, '两份文件的声明相同。'));
    if (d.population) renderPopulation(d.population);
  }

  const symbolOf = (name) => {
    for (const p of [describeB, describeA]) {
      const s = p && [...p.outputs, ...p.definitions].find((x) => x.name === name);
      if (s) return s;
    }
    return null;
  };

  function renderPopulation(p) {
    out.append(el('h2', {}, `人群比较：${population.name}`),
      el('p', { id: 'cmp-counts' }, `共 ${p.cases} 个案例，其中 ${p.changed_cases} 个结果有变化；`,
        `A 下无法计算 ${p.errors_a} 个，B 下无法计算 ${p.errors_b} 个。`),
      p.errors.length ? el('details', {}, el('summary', {}, '无法计算的案例'), el('ul', {}, p.errors.map((e) => el('li', {}, e)))) : null);
    const rows = p.outputs.map((o) => {
      const s = symbolOf(o.name);
      const v = (x) => UI.valueText(x, s);
      const detail = o.transitions
        ? (o.transitions.length ? o.transitions.map((t) => `${v(t.from)} → ${v(t.to)}：${t.count} 人`).join('；') : '—')
        : o.changed ? `最小 ${v(o.min)}，中位数 ${v(o.median)}，最大 ${v(o.max)}` + (o.total !== null ? `；合计 ${v(o.total)}` : '') : '—';
      return el('tr', { 'data-output': o.name },
        el('td', {}, o.label, o.depends_on_placeholder ? el('span', { class: 'badge warn', title: '依赖未证实的数字' }, ' ⚠') : null),
        el('td', { class: 'num' }, o.changed), el('td', {}, detail), el('td', { class: 'num' }, o.not_applicable || '—'));
    });
    out.append(el('table', { class: 'wide', id: 'cmp-summary' },
      el('tr', {}, ['输出', '变化人数', 'B − A 的分布 / 取值转移', '两份文件下都不适用'].map((h) => el('th', {}, h))), rows));
    if (p.unconfirmed.length)
      out.append(el('div', { class: 'note-box' }, '标 ⚠ 的输出依赖下列未证实的数字：',
        el('ul', {}, p.unconfirmed.map((u) => el('li', {}, `${u.sides}：${u.label} = ${u.text}（${u.source}）`)))));
    chart(p);
    changedTable(p);
  }

  // The distribution of B − A for a number output, or the transitions of any other, drawn
  // from the per-case values the server returned.
  function chart(p) {
    const changedOutputs = p.outputs.filter((o) => o.changed);
    if (!changedOutputs.length) return;
    const pick = el('select', { id: 'cmp-chart-output', 'aria-label': '图中的输出' },
      changedOutputs.map((o) => el('option', { value: o.name }, o.label)));
    const box = el('div', { class: 'chart', id: 'cmp-chart' });
    out.append(el('h3', {}, '变化的分布'), el('div', { class: 'toolbar' }, el('label', {}, '输出', pick)), box);
    const c = echarts.init(box);
    const draw = () => {
      const o = p.outputs.find((x) => x.name === pick.value);
      const s = symbolOf(o.name);
      let cats, counts;
      if (o.transitions) {
        cats = o.transitions.map((t) => `${UI.valueText(t.from, s)} → ${UI.valueText(t.to, s)}`);
        counts = o.transitions.map((t) => t.count);
      } else {
        const deltas = p.changed.filter((e) => e.outputs[o.name]).map((e) => +(Number(e.outputs[o.name].b) - Number(e.outputs[o.name].a)).toPrecision(12));
        const distinct = [...new Set(deltas)].sort((x, y) => x - y);
        const f = (x) => UI.valueText(+x.toPrecision(10), s);
        if (distinct.length <= 12) {
          // Few distinct changes: a bar each.
          cats = distinct.map(f);
          counts = distinct.map((d) => deltas.filter((x) => x === d).length);
          return plot(o, cats, counts);
        }
        const lo = distinct[0], hi = distinct[distinct.length - 1];
        const n = lo === hi ? 1 : Math.min(12, Math.max(3, Math.ceil(Math.sqrt(deltas.length))));
        const w = (hi - lo) / n || 1;
        counts = new Array(n).fill(0);
        for (const x of deltas) counts[Math.min(n - 1, Math.floor((x - lo) / w))]++;
        cats = counts.map((_, i) => (n === 1 ? f(lo) : `${f(lo + i * w)} ~ ${f(lo + (i + 1) * w)}`));
      }
      plot(o, cats, counts);
    };
    const plot = (o, cats, counts) => {
      c.setOption({
        textStyle: { fontFamily: getComputedStyle(document.documentElement).fontFamily },
        title: { text: o.transitions ? `${o.label}：取值转移` : `${o.label}：B − A`, left: 'center', textStyle: { fontSize: 14 } },
        tooltip: { trigger: 'axis' },
        grid: { left: 60, right: 30, top: 50, bottom: 70 },
        xAxis: { type: 'category', data: cats, axisLabel: { interval: 0, rotate: cats.length > 6 ? 30 : 0 } },
        yAxis: { type: 'value', name: '人数', minInterval: 1 },
        series: [{ type: 'bar', data: counts, itemStyle: { color: '#0b5cad' }, label: { show: true, position: 'top' } }],
      }, true);
    };
    pick.addEventListener('change', draw);
    draw();
    new ResizeObserver(() => c.resize()).observe(box);
  }

  function changedTable(p) {
    const names = p.outputs.filter((o) => o.changed).map((o) => o.name);
    if (!p.changed.length) return;
    const pageSize = 20;
    let page = 0, sortKey = 'line', dir = 1;
    const table = el('table', { class: 'wide', id: 'cmp-cases' });
    const info = el('span', {});
    const prev = el('button', { type: 'button', onclick: () => go(page - 1) }, '上一页');
    const next = el('button', { type: 'button', onclick: () => go(page + 1) }, '下一页');
    const side = el('div', { id: 'cmp-explain' });
    const value = (e, k) => {
      if (k === 'line') return e.line;
      if (k === 'id') return e.id || '';
      const [n, which] = k.split(':');
      const d = e.outputs[n];
      return d ? d[which] : null;
    };
    const cmp = (x, y) => (x === y ? 0 : x === null ? 1 : y === null ? -1 : typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), 'zh'));
    function go(n) {
      const rows = [...p.changed].sort((a, b) => dir * cmp(value(a, sortKey), value(b, sortKey)));
      const pages = Math.max(1, Math.ceil(rows.length / pageSize));
      page = Math.max(0, Math.min(pages - 1, n));
      info.textContent = `第 ${page + 1} / ${pages} 页，共 ${rows.length} 个有变化的案例（点一行看它在两份文件下的解释）`;
      prev.disabled = page === 0;
      next.disabled = page === pages - 1;
      const head = (k, text) => el('th', { class: `sortable${sortKey === k ? (dir > 0 ? ' sorted-asc' : ' sorted-desc') : ''}`, onclick: () => {
        dir = sortKey === k ? -dir : 1;
        sortKey = k;
        go(0);
      } }, text);
      table.innerHTML = '';
      table.append(el('tr', {}, head('line', '行'), head('id', '编号'),
        names.map((n) => head(n + ':b', `${(symbolOf(n) || { label: n }).label}（A → B）`))));
      for (const e of rows.slice(page * pageSize, (page + 1) * pageSize))
        table.append(el('tr', { class: 'clickable', 'data-line': e.line, onclick: () => explainCase(e) },
          el('td', { class: 'num' }, e.line), el('td', {}, e.id || '—'),
          names.map((n) => {
            const d = e.outputs[n];
            return d ? el('td', { class: 'num' }, `${UI.valueText(d.a, symbolOf(n))} → ${UI.valueText(d.b, symbolOf(n))}`)
              : el('td', { class: 'muted', title: '未变' }, '=');
          })));
    }
    async function explainCase(e) {
      side.innerHTML = '';
      side.append(el('h3', {}, `案例 ${e.id || '第 ' + e.line + ' 行'}：在 A 与 B 下的解释`));
      const res = await diffCall([['explain_case', e.id || String(e.line)], ['format', 'html']]);
      if (!res.ok) return side.append(UI.errorBox(res.error));
      const host = el('div', { class: 'report', id: 'cmp-explain-report' });
      side.append(host);
      UI.showReport(host, res.data);
      side.scrollIntoView({ behavior: 'smooth', block: 'start' });
    }
    out.append(el('h3', {}, '有变化的案例'), el('div', { class: 'pager' }, prev, next, info), el('div', { class: 'table-scroll' }, table), side);
    go(0);
  }

  file.addEventListener('change', async () => {
    const f = file.files[0];
    if (!f) return;
    if (/\.xlsx$/i.test(f.name) || f.type === Api.xlsxType) population = { name: f.name, xlsx: true, file: f };
    else population = { name: f.name, csv: /\.csv$/i.test(f.name) || f.type === 'text/csv', text: await UI.readFile(f) };
    run();
  });

  main.append(el('h1', {}, '政策比较'),
    el('div', { class: 'toolbar' }, el('label', {}, 'A', selA), el('label', {}, 'B', selB), el('label', {}, '决定日期', at),
      el('button', { type: 'button', class: 'primary', id: 'cmp-run', onclick: run }, '比较'),
      el('label', {}, '上传人群（CSV、JSON Lines 或 Excel）', file)),
    el('p', { class: 'muted' }, '不填决定日期时，静态比较列出参数的全部取值，案例按其 as_of 计算。'),
    out);
  await run();
}
