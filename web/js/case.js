// A case: a form generated from GET /policies/{name}, the explanation of POST /explain
// (html) redrawn as the analyst types, "what would it take" from POST /why-not, a choice of
// reading for each ambiguity the file declares (with what another reading would change, from
// POST /readings), and the case saved to and loaded from a JSON file. Every check and number
// comes from the server.
'use strict';
const CaseStore = {
  // The case last worked on, kept for the sweep page and for coming back.
  get() {
    try {
      return JSON.parse(sessionStorage.getItem('pol.case') || 'null');
    } catch (e) {
      return null;
    }
  },
  put(v) {
    sessionStorage.setItem('pol.case', JSON.stringify(v));
  },
};

async function CasePage(main, args, query) {
  const { el } = UI;
  const kept = CaseStore.get();
  const name = args[0] || (kept && kept.policy) || query.get('policy');
  const select = el('select', { id: 'case-policy', 'aria-label': t('case.policy') });
  const policies = await UI.policyOptions(select, name);
  const first = policies.find((p) => p.status === 'ok');
  if (!name && first) return void (location.hash = `#/case/${encodeURIComponent(first.name)}`);
  select.addEventListener('change', () => (location.hash = `#/case/${encodeURIComponent(select.value)}`));
  const r = await Api.policy(name);
  if (!r.ok) return main.append(UI.errorBox(r.error));
  const pol = r.data;
  if (!pol.inputs) return brokenPolicy(main, pol);

  const values = kept && kept.policy === name ? kept.fields : {};
  const dateInput = el('input', { type: 'date', id: 'case-at', value: (kept && kept.policy === name && kept.at) || UI.today() });
  const fields = new Map();
  const form = el('form', { class: 'case', onsubmit: (e) => e.preventDefault() });
  const kindOf = (s) => (s.values ? 'enum' : s.type === 'bool' ? 'bool' : s.type === 'date' ? 'date' : 'number');

  function control(s) {
    const kind = kindOf(s);
    const given = values[s.name];
    const def = s.default === null || s.default === undefined ? '' : String(s.default);
    const start = given !== undefined ? given : def;
    if (kind === 'enum' || kind === 'bool') {
      const opts = kind === 'bool' ? UI.yesNo() : s.values;
      return el('select', { id: 'in-' + s.name, name: s.name },
        def === '' ? el('option', { value: '', selected: start === '' }, t('case.choose')) : null,
        opts.map((o) => el('option', { value: o.name, selected: o.name === start }, o.name === def ? t('case.default_mark', o.label) : o.label)));
    }
    return el('input', { id: 'in-' + s.name, name: s.name, type: kind === 'date' ? 'date' : 'text', inputmode: kind === 'number' ? 'decimal' : null,
      value: start, placeholder: def !== '' ? t('case.placeholder_default', UI.valueText(s.default, s)) : t('bound.required'), autocomplete: 'off' });
  }

  const groups = new Map();
  const symbols = [...pol.inputs, ...pol.parameters, ...pol.definitions];
  for (const s of pol.inputs) {
    const input = control(s);
    const msg = el('div', { class: 'msg', id: 'msg-' + s.name });
    const hint = [UI.typeText(s), s.min !== null ? t('bound.min', UI.boundText(s.min, s, symbols)) : null,
      s.max !== null ? t('bound.max', UI.boundText(s.max, s, symbols)) : null,
      s.default !== null ? t('bound.default', UI.valueText(s.default, s)) : t('bound.required')].filter(Boolean).join(' · ');
    const box = el('div', { class: 'field', 'data-name': s.name },
      el('label', { for: 'in-' + s.name, title: s.reading || s.name }, s.label), input, el('div', { class: 'hint' }, hint), msg);
    fields.set(s.name, { s, input, msg, box, kind: kindOf(s) });
    const g = s.clause || t('case.other_clause');
    if (!groups.has(g)) groups.set(g, []);
    groups.get(g).push(box);
  }
  for (const [g, boxes] of groups) form.append(el('fieldset', {}, el('legend', {}, t('case.clause', g)), boxes));

  // The ambiguities with alternative readings: a choice of reading each (the file's own first);
  // beside each, whether another of its readings changes an output for this case.
  const readingChoices = new Map();
  const keptReadings = (kept && kept.policy === name && kept.readings) || {};
  const readingsBox = (pol.readings || []).length
    ? el('fieldset', { id: 'case-readings', class: 'readings' }, el('legend', {}, t('case.readings')),
      pol.readings.map((rd) => {
        const sel = el('select', { id: 'reading-' + rd.id, 'data-reading': rd.id },
          rd.alternatives.map((a) => el('option', { value: a.name, selected: keptReadings[rd.id] === a.name, title: a.because || a.name },
            a.default ? t('case.reading_own', a.label) : a.label)));
        const note = el('div', { class: 'hint', id: 'reading-note-' + rd.id });
        readingChoices.set(rd.id, { rd, sel, note });
        return el('div', { class: 'field reading', 'data-reading': rd.id },
          el('label', { for: 'reading-' + rd.id, title: rd.rules.join(t('list.sep')) }, t('case.reading_id', rd.id)), sel, note);
      }))
    : null;
  // {"ID": "ALT"} for each ambiguity read otherwise than the file reads it.
  function readingsChosen() {
    const out = {};
    for (const [id, { rd, sel }] of readingChoices) if (sel.value !== rd.alternatives[0].name) out[id] = sel.value;
    return out;
  }
  const symbolOf = (n) => pol.outputs.find((o) => o.name === n) || pol.definitions.find((o) => o.name === n);
  let readingsCall = null;
  async function readingImpact() {
    if (!readingChoices.size) return;
    if (readingsCall) readingsCall.abort();
    const ctl = (readingsCall = new AbortController());
    let res;
    try {
      res = await Api.call('POST', `/policies/${encodeURIComponent(name)}/readings`, { body: requestBody(), signal: ctl.signal });
    } catch (e) {
      return;
    }
    if (ctl !== readingsCall) return;
    readingsCall = null;
    for (const { rd, note } of readingChoices.values()) {
      note.textContent = '';
      if (!res.ok) continue;
      const mine = res.data.alternatives.filter((a) => a.readings.length === 1 && a.readings[0].id === rd.id);
      const changing = mine.filter((a) => a.error || a.outputs.length);
      note.dataset.changes = String(changing.length);
      note.classList.toggle('changes', changing.length > 0);
      if (!changing.length) {
        note.textContent = t('case.reading_same');
        continue;
      }
      note.append(...changing.map((a) => el('div', { title: a.readings[0].alternative }, t('case.reading_as', a.readings[0].label),
        a.error ? t('case.reading_error', a.error) : a.outputs.map((o) => {
          const sym = symbolOf(o.name);
          return `${sym ? sym.label : o.name} ${UI.valueText(o.before, sym)} → ${UI.valueText(o.after, sym)}`;
        }).join(t('list.semi')))));
    }
  }

  const pane = el('div', { class: 'explain-pane', id: 'explanation' });
  const report = el('div', { class: 'report', id: 'explanation-report' });
  const general = el('div', { id: 'case-error' });
  const timing = el('span', { class: 'timing', id: 'timing' });
  pane.append(report);

  // why-not: the output, the value wanted (optional), the answer.
  const outSel = el('select', { id: 'why-output', 'aria-label': t('case.output') }, pol.outputs.map((o) => el('option', { value: o.name }, o.label)));
  const valSel = el('select', { id: 'why-value', 'aria-label': t('case.wanted') });
  const fillValues = () => {
    const o = pol.outputs.find((x) => x.name === outSel.value);
    valSel.innerHTML = '';
    valSel.append(el('option', { value: '' }, t('case.any_value')));
    const opts = o.values ? o.values : o.type === 'bool' ? UI.yesNo() : [];
    for (const v of opts) valSel.append(el('option', { value: v.name }, v.label));
    valSel.hidden = !opts.length;
  };
  outSel.addEventListener('change', fillValues);
  fillValues();
  const whyPane = el('div', { class: 'report', id: 'why-not-report' });
  const whyBox = el('div', { id: 'why-not' });

  function caseFields() {
    const out = {};
    for (const [n, f] of fields) out[n] = { kind: f.kind, value: f.input.value.trim() };
    return out;
  }
  function requestBody(extra = {}) {
    const at = dateInput.value;
    const readings = readingsChosen();
    const rest = Object.keys(readings).length ? { readings, ...extra } : extra;
    return Api.caseBody(Api.caseJson(caseFields()), at ? { at, ...rest } : rest);
  }
  function clearMessages() {
    for (const f of fields.values()) {
      f.box.classList.remove('invalid');
      f.msg.textContent = '';
    }
    general.innerHTML = '';
  }
  function showError(error) {
    const f = error.field && fields.get(error.field);
    if (f) {
      f.box.classList.add('invalid');
      f.msg.textContent = error.message;
    }
    general.innerHTML = '';
    general.append(UI.errorBox(error));
    pane.classList.add('stale');
  }

  let inflight = null;
  let typedAt = 0; // when the last change was made: the page notes how long its explanation took
  async function explain() {
    if (inflight) inflight.abort();
    const ctl = (inflight = new AbortController());
    const kept = {};
    for (const [n, f] of fields) if (f.input.value.trim() !== '') kept[n] = f.input.value.trim();
    CaseStore.put({ policy: name, fields: kept, at: dateInput.value, readings: readingsChosen() });
    const t0 = performance.now();
    let res;
    try {
      res = await Api.call('POST', `/policies/${encodeURIComponent(name)}/explain`, { query: [['format', 'html']], body: requestBody(), signal: ctl.signal });
    } catch (e) {
      return; // a newer keystroke took over
    }
    if (ctl !== inflight) return;
    inflight = null;
    clearMessages();
    timing.textContent = t('case.timing', Math.round(performance.now() - t0));
    if (!res.ok) return showError(res.error);
    pane.classList.remove('stale');
    UI.showReport(report, res.data);
    if (typedAt) pane.dataset.latency = String(Math.round(performance.now() - typedAt));
    pane.dataset.version = String(Number(pane.dataset.version || 0) + 1);
    readingImpact();
  }
  const soon = UI.debounce(25, explain);
  form.addEventListener('input', () => (whyBox.innerHTML = '')); // its answer was for the case before
  form.addEventListener('input', () => (typedAt = performance.now()));
  form.addEventListener('input', soon);
  form.addEventListener('change', soon);
  dateInput.addEventListener('input', soon);
  if (readingsBox) readingsBox.addEventListener('change', soon);

  async function whyNot() {
    whyBox.innerHTML = '';
    const extra = { output: outSel.value };
    if (valSel.value) extra.value = valSel.value;
    const res = await Api.call('POST', `/policies/${encodeURIComponent(name)}/why-not`, { query: [['format', 'html']], body: requestBody(extra) });
    if (!res.ok) return whyBox.append(UI.errorBox(res.error));
    whyBox.append(whyPane);
    UI.showReport(whyPane, res.data);
    // The page is the explanation with its why-not section: only that section is shown here
    // (the explanation is beside it already), from its heading to the next.
    const body = whyPane.shadowRoot.querySelector('.report-body');
    const list = body.querySelector('ol.why-not');
    if (list) {
      let head = list;
      while (head.previousElementSibling && head.tagName !== 'H2') head = head.previousElementSibling;
      const keep = [];
      for (let n = head; n && (n === head || n.tagName !== 'H2'); n = n.nextElementSibling) keep.push(n);
      body.replaceChildren(...keep);
    }
    whyPane.scrollIntoView({ block: 'nearest' });
  }

  function save() {
    const c = {};
    const at = dateInput.value;
    if (at) c.as_of = at;
    for (const [n, f] of fields) {
      const v = f.input.value.trim();
      if (v === '') continue;
      c[n] = f.kind === 'number' && /^-?\d+(\.\d+)?$/.test(v) ? { raw: v } : f.kind === 'bool' ? v === 'true' : v;
    }
    // Numbers written with the digits typed: 0.10 stays 0.10.
    const text = '{\n' + Object.entries(c).map(([k, v]) => `  ${JSON.stringify(k)}: ${v && v.raw ? v.raw : JSON.stringify(v)}`).join(',\n') + '\n}\n';
    UI.download(`${name}-case.json`, text);
  }
  const loader = el('input', { type: 'file', accept: '.json,application/json', id: 'case-file', hidden: true });
  loader.addEventListener('change', async () => {
    const file = loader.files[0];
    if (!file) return;
    let c;
    try {
      c = JSON.parse(await UI.readFile(file));
    } catch (e) {
      return showError({ field: null, message: t('case.bad_json', file.name, e.message) });
    }
    if (!c || typeof c !== 'object' || Array.isArray(c)) return showError({ field: null, message: t('case.not_object', file.name) });
    for (const [n, f] of fields) f.input.value = n in c ? String(c[n]) : f.kind === 'enum' || f.kind === 'bool' ? String(f.s.default ?? '') : '';
    if (c.as_of) dateInput.value = c.as_of;
    const unknown = Object.keys(c).filter((k) => !fields.has(k) && k !== 'as_of' && k !== 'id');
    await explain();
    if (unknown.length) general.append(el('div', { class: 'note-box' }, t('case.ignored', file.name, unknown.join(t('list.sep')))));
    loader.value = '';
  });

  main.append(
    el('h1', {}, t('case.title'), pol.title),
    el('div', { class: 'toolbar' },
      el('label', {}, t('case.policy'), select),
      el('label', {}, t('case.at'), dateInput),
      el('button', { type: 'button', onclick: save, id: 'case-save' }, t('case.save')),
      el('button', { type: 'button', onclick: () => loader.click(), id: 'case-load' }, t('case.load')), loader,
      el('a', { href: `#/policy/${encodeURIComponent(name)}` }, t('case.rules')),
      timing),
    el('div', { class: 'case-grid' },
      el('div', {}, form),
      el('div', {},
        readingsBox,
        el('div', { class: 'toolbar' }, el('b', {}, t('case.why_title')), el('label', {}, t('case.output'), outSel), valSel,
          el('button', { type: 'button', class: 'primary', id: 'why-button', onclick: whyNot }, t('case.why_button'))),
        whyBox,
        el('h2', {}, t('case.explanation')), general, pane)));
  await explain();
  return () => {
    if (inflight) inflight.abort();
    if (readingsCall) readingsCall.abort();
  };
}
