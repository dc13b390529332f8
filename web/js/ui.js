// Small helpers shared by the pages: building elements, showing the server's pages and
// messages, files in and out, and the words for kinds and units.
'use strict';
const UI = (() => {
  // el('div', {class: 'x', onclick: f}, child, 'text', [more children])
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = v;
      else if (k === 'html') e.innerHTML = v;
      else if (v === true) e.setAttribute(k, '');
      else e.setAttribute(k, v);
    }
    add(e, children);
    return e;
  }
  function add(e, children) {
    for (const c of children.flat(Infinity)) {
      if (c === null || c === undefined || c === false) continue;
      e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }

  function status(text, kind) {
    const s = document.getElementById('status');
    s.textContent = text || '';
    s.className = 'status' + (kind ? ' ' + kind : '');
  }

  // A page pol rendered (an explanation, two explanations side by side) shown in `host` as the
  // server wrote it: its own style sheet in a shadow root, so neither page's styles leak.
  function showReport(host, html) {
    // pol's pages are one <style> in the head and the body: taken apart as text and parsed
    // once, straight into the shadow root (the fastest way to redraw on every keystroke).
    const between = (a, b) => {
      const i = html.indexOf(a), j = html.lastIndexOf(b);
      return i >= 0 && j > i ? html.slice(i + a.length, j) : null;
    };
    const css = (between('<style>', '</style>') || '').replace(/(^|[}\s])body\s*\{/g, '$1.report-body{').replace(/margin:2em auto;/, 'margin:0;');
    const body = between('<body>', '</body>');
    const root = host.shadowRoot || host.attachShadow({ mode: 'open' });
    root.innerHTML = `<style>${css}\n.report-body{max-width:none;padding:0}\npre{font-family:"Noto Sans Mono CJK SC",monospace}\n` +
      // A number is not broken inside (7322.08 yuan), long text still wraps at the pane's edge.
      `td{overflow-wrap:break-word}</style>` +
      `<div class="report-body">${body === null ? html : body}</div>`;
  }
  function reportText(host) {
    return host.shadowRoot ? host.shadowRoot.textContent : '';
  }

  function errorBox(error) {
    return el('div', { class: 'error-box', role: 'alert' }, error.field ? el('b', {}, t('punct.colon', error.field)) : null, error.message);
  }

  function download(name, text, type = 'application/json') {
    const a = el('a', { href: URL.createObjectURL(new Blob([text], { type })), download: name });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }
  function readFile(file) {
    return new Promise((resolve, reject) => {
      const r = new FileReader();
      r.onload = () => resolve(r.result);
      r.onerror = () => reject(r.error);
      r.readAsText(file, 'utf-8');
    });
  }

  const word = (prefix, key) => (key && `${prefix}.${key}` in Messages.tables.zh ? t(`${prefix}.${key}`) : null);
  const kindWord = (kind) => word('kind', kind) || kind;
  const changeWord = (change) => word('change', change) || change;
  // The unit of a type as GET /policies/{name} names it: an axis per unit on charts.
  const numberTypes = ['money', 'rate', 'years', 'months', 'days', 'int', 'number'];
  const isNumberType = (type) => numberTypes.includes(type);
  const unitOf = (type) => (isNumberType(type) ? t('unit.' + type) : null);
  // The kind of value a symbol holds, in words (yes/no, date, years, one of the enum's choices…), never
  // the rule file's type name.
  function typeText(sym) {
    if (sym.values && sym.values.length) return t('type.enum', sym.values.length);
    return word('type', sym.type) || t('type.number');
  }
  // A bound or default as GET /policies gives it: a constant, or an expression of other
  // symbols, whose names are shown by their labels.
  function boundText(v, sym, symbols) {
    if (typeof v !== 'string' || !/[A-Za-z_]/.test(v) || (sym.values && sym.values.some((x) => x.name === v))) return valueText(v, sym);
    return v.replace(/\b[A-Za-z_][A-Za-z0-9_]*\b/g, (n) => {
      const s = symbols.find((x) => x.name === n);
      return s ? t('bound.ref', s.label) : n;
    });
  }
  const yesNo = () => [{ name: 'true', label: t('value.yes') }, { name: 'false', label: t('value.no') }];

  // A value as the server gave it, for reading: true/false in Chinese, an enum by its label.
  function valueText(v, sym) {
    if (v === null || v === undefined) return '—';
    if (v === true) return t('value.yes');
    if (v === false) return t('value.no');
    if (sym && sym.values) {
      const e = sym.values.find((x) => x.name === v);
      if (e) return e.label;
    }
    if (sym && sym.type === 'rate' && typeof v === 'number') return +(v * 100).toPrecision(12) + '%';
    if (sym && sym.type === 'money' && typeof v === 'number') return v.toFixed(2);
    return String(v);
  }

  function debounce(ms, f) {
    let t = null;
    return (...a) => {
      clearTimeout(t);
      t = setTimeout(() => f(...a), ms);
    };
  }

  function today() {
    const d = new Date();
    const p = (n) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
  }

  // The policies served, fetched once a page is shown (a save on the edit page changes them).
  async function policyOptions(select, chosen, onlyOk = true) {
    const r = await Api.policies();
    if (!r.ok) throw r.error;
    select.innerHTML = '';
    // By title (the file's name only where two files share a title, and on hover).
    const shared = (p) => r.data.policies.some((q) => q !== p && q.title === p.title);
    for (const p of r.data.policies) {
      if (onlyOk && p.status !== 'ok') continue;
      const text = !p.title ? p.name : shared(p) ? t('policy.option', p.title, p.name) : p.title;
      select.append(el('option', { value: p.name, selected: p.name === chosen, title: p.name }, text));
    }
    return r.data.policies;
  }

  return { el, add, status, showReport, reportText, errorBox, download, readFile, kindWord, changeWord, unitOf,
           isNumberType, typeText, boundText, yesNo, valueText, debounce, today, policyOptions };
})();
