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
    UI.status(t('cmp.running'));
    const [ra, rb] = await Promise.all([Api.policy(selA.value), Api.policy(selB.value)]);
    describeA = ra.ok ? ra.data : null;
    describeB = rb.ok ? rb.data : null;
    const res = await diffCall(population ? [['show', '100000']] : []);
    UI.status('');
    if (!res.ok) return out.append(UI.errorBox(res.error));
    render(res.data);
  }

  function render(d) {
    out.append(el('h2', {}, t('cmp.changes', d.changes.length)));
    if (!d.related) out.append(el('div', { class: 'note-box' }, t('cmp.unrelated')));
    if (d.changes.length)
      out.append(el('table', { class: 'wide', id: 'cmp-changes' },
        el('tr', {}, [t('cmp.h.change'), t('cmp.h.kind'), t('cmp.h.name'), 'A', 'B', t('cmp.h.affects')].map((h) => el('th', {}, h))),
        d.changes.map((c) => el('tr', {},
          el('td', {}, UI.changeWord(c.change)), el('td', {}, UI.kindWord(c.kind)),
          el('td', {}, el('b', {}, c.label), el('div', { class: 'muted' }, c.name)),
          el('td', {}, c.before_text || '—'), el('td', {}, c.after_text || '—'),
          el('td', {}, c.affects.length ? el('span', { title: c.affects.join(' ') }, c.affects.map((n) => (symbolOf(n) || { label: n }).label).join(t('list.sep'))) : '—')))));
    else out.append(el('p', {}, t('cmp.same')));
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
    UI.add(out, [el('h2', {}, t('cmp.population', population.name)),
      el('p', { id: 'cmp-counts' }, t('cmp.counts', p.cases, p.changed_cases), t('cmp.count_errors', p.errors_a, p.errors_b)),
      p.errors.length ? el('details', {}, el('summary', {}, t('cmp.errors')), el('ul', {}, p.errors.map((e) => el('li', {}, e)))) : null]);
    const rows = p.outputs.map((o) => {
      const s = symbolOf(o.name);
      const v = (x) => UI.valueText(x, s);
      const detail = o.transitions
        ? (o.transitions.length ? o.transitions.map((x) => t('cmp.transition', v(x.from), v(x.to), x.count)).join(t('list.semi')) : '—')
        : o.changed ? t('cmp.spread', v(o.min), v(o.median), v(o.max)) + (o.total !== null ? t('cmp.total', v(o.total)) : '') : '—';
      return el('tr', { 'data-output': o.name },
        el('td', {}, o.label, o.depends_on_placeholder ? el('span', { class: 'badge warn', title: t('cmp.unproven') }, ' ⚠') : null),
        el('td', { class: 'num' }, o.changed), el('td', {}, detail), el('td', { class: 'num' }, o.not_applicable || '—'));
    });
    out.append(el('table', { class: 'wide', id: 'cmp-summary' },
      el('tr', {}, ['output', 'changed', 'spread', 'na'].map((h) => el('th', {}, t('cmp.h.' + h)))), rows));
    if (p.unconfirmed.length)
      out.append(el('div', { class: 'note-box' }, t('cmp.unconfirmed'),
        el('ul', {}, p.unconfirmed.map((u) => el('li', {}, t('cmp.unconfirmed_item', u.sides, u.label, u.text, u.source))))));
    chart(p);
    changedTable(p);
  }

  // The distribution of B − A for a number output, or the transitions of any other, drawn
  // from the per-case values the server returned.
  function chart(p) {
    const changedOutputs = p.outputs.filter((o) => o.changed);
    if (!changedOutputs.length) return;
    const pick = el('select', { id: 'cmp-chart-output', 'aria-label': t('cmp.chart_output') },
      changedOutputs.map((o) => el('option', { value: o.name }, o.label)));
    const box = el('div', { class: 'chart', id: 'cmp-chart' });
    out.append(el('h3', {}, t('cmp.chart_title')), el('div', { class: 'toolbar' }, el('label', {}, t('cmp.output'), pick)), box);
    const c = echarts.init(box);
    const draw = () => {
      const o = p.outputs.find((x) => x.name === pick.value);
      const s = symbolOf(o.name);
      let cats, counts;
      if (o.transitions) {
        cats = o.transitions.map((x) => `${UI.valueText(x.from, s)} → ${UI.valueText(x.to, s)}`);
        counts = o.transitions.map((x) => x.count);
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
        title: { text: o.transitions ? t('cmp.chart_transitions', o.label) : t('cmp.chart_delta', o.label), left: 'center', textStyle: { fontSize: 14 } },
        tooltip: { trigger: 'axis' },
        grid: { left: 60, right: 30, top: 50, bottom: 70 },
        xAxis: { type: 'category', data: cats, axisLabel: { interval: 0, rotate: cats.length > 6 ? 30 : 0 } },
        yAxis: { type: 'value', name: t('cmp.people'), minInterval: 1 },
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
    const prev = el('button', { type: 'button', onclick: () => go(page - 1) }, t('cmp.prev'));
    const next = el('button', { type: 'button', onclick: () => go(page + 1) }, t('cmp.next'));
    const side = el('div', { id: 'cmp-explain' });
    const value = (e, k) => {
      if (k === 'line') return e.line;
      if (k === 'id') return e.id || '';
      const [n, which] = k.split(':');
      const d = e.outputs[n];
      return d ? d[which] : null;
    };
    const cmp = (x, y) => (x === y ? 0 : x === null ? 1 : y === null ? -1 : typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), Messages.lang));
    function go(n) {
      const rows = [...p.changed].sort((a, b) => dir * cmp(value(a, sortKey), value(b, sortKey)));
      const pages = Math.max(1, Math.ceil(rows.length / pageSize));
      page = Math.max(0, Math.min(pages - 1, n));
      info.textContent = t('cmp.page', page + 1, pages, rows.length);
      prev.disabled = page === 0;
      next.disabled = page === pages - 1;
      const head = (k, text) => el('th', { class: `sortable${sortKey === k ? (dir > 0 ? ' sorted-asc' : ' sorted-desc') : ''}`, onclick: () => {
        dir = sortKey === k ? -dir : 1;
        sortKey = k;
        go(0);
      } }, text);
      table.innerHTML = '';
      table.append(el('tr', {}, head('line', t('cmp.h.line')), head('id', t('cmp.h.id')),
        names.map((n) => head(n + ':b', t('cmp.h.ab', (symbolOf(n) || { label: n }).label)))));
      for (const e of rows.slice(page * pageSize, (page + 1) * pageSize))
        table.append(el('tr', { class: 'clickable', 'data-line': e.line, onclick: () => explainCase(e) },
          el('td', { class: 'num' }, e.line), el('td', {}, e.id || '—'),
          names.map((n) => {
            const d = e.outputs[n];
            return d ? el('td', { class: 'num' }, `${UI.valueText(d.a, symbolOf(n))} → ${UI.valueText(d.b, symbolOf(n))}`)
              : el('td', { class: 'muted', title: t('cmp.unchanged') }, '=');
          })));
    }
    async function explainCase(e) {
      side.innerHTML = '';
      side.append(el('h3', {}, t('cmp.case_title', e.id || t('cmp.case_line', e.line))));
      const res = await diffCall([['explain_case', e.id || String(e.line)], ['format', 'html']]);
      if (!res.ok) return side.append(UI.errorBox(res.error));
      const host = el('div', { class: 'report', id: 'cmp-explain-report' });
      side.append(host);
      UI.showReport(host, res.data);
      side.scrollIntoView({ behavior: 'smooth', block: 'start' });
    }
    out.append(el('h3', {}, t('cmp.changed_cases')), el('div', { class: 'pager' }, prev, next, info), el('div', { class: 'table-scroll' }, table), side);
    go(0);
  }

  file.addEventListener('change', async () => {
    const f = file.files[0];
    if (!f) return;
    if (/\.xlsx$/i.test(f.name) || f.type === Api.xlsxType) population = { name: f.name, xlsx: true, file: f };
    else population = { name: f.name, csv: /\.csv$/i.test(f.name) || f.type === 'text/csv', text: await UI.readFile(f) };
    run();
  });

  main.append(el('h1', {}, t('cmp.title')),
    el('div', { class: 'toolbar' }, el('label', {}, 'A', selA), el('label', {}, 'B', selB), el('label', {}, t('cmp.at'), at),
      el('button', { type: 'button', class: 'primary', id: 'cmp-run', onclick: run }, t('cmp.run')),
      el('label', {}, t('cmp.upload'), file)),
    el('p', { class: 'muted' }, t('cmp.at_note')),
    out);
  await run();
}
