// Policies: every rule file served, regional variants under their base.
'use strict';
async function PoliciesPage(main, _args, _query, ctx) {
  const { el } = UI;
  main.append(el('h1', {}, t('nav.policies')));
  const r = await Api.policies();
  if (!r.ok) return main.append(UI.errorBox(r.error));
  const list = r.data.policies;
  // A base names its file relative to the variant's folder ("../jilin_2025.pol").
  const resolve = (file, rel) => {
    const parts = file.split('/').slice(0, -1);
    for (const p of rel.split('/')) {
      if (p === '..') parts.pop();
      else if (p !== '.') parts.push(p);
    }
    return parts.join('/');
  };
  const byFile = new Map(list.map((p) => [p.file, p]));
  const baseOf = (p) => (p.base ? byFile.get(resolve(p.file, p.base)) : null);
  const roots = list.filter((p) => !baseOf(p));
  const rows = [];
  const addRow = (p, depth) => {
    rows.push(row(p, depth));
    for (const v of list.filter((q) => baseOf(q) === p)) addRow(v, depth + 1);
  };
  for (const p of roots) addRow(p, 0);

  function row(p, depth) {
    const ok = p.status === 'ok';
    const name = encodeURIComponent(p.name);
    return el('tr', { class: depth ? 'variant' : null, 'data-name': p.name },
      el('td', {}, el('a', { href: `#/policy/${name}` }, p.title || p.name), el('div', { class: 'muted' }, p.file)),
      el('td', {}, p.issuer || '—'),
      el('td', {}, p.number || '—'),
      el('td', { class: 'nowrap' }, p.effective || '—'),
      el('td', {}, p.base ? (baseOf(p) ? baseOf(p).title || baseOf(p).name : p.base) : '—'),
      el('td', { class: 'num' }, p.errors ? el('span', { class: 'badge bad' }, t('policies.errors', p.errors)) : el('span', { class: 'badge ok' }, t('policies.no_errors'))),
      el('td', { class: 'num' }, ok ? (p.placeholders ? el('span', { class: 'badge warn' }, t('policies.placeholders', p.placeholders)) : '0') : '—'),
      el('td', { class: 'nowrap' }, ok ? [el('a', { href: `#/case/${name}` }, t('policies.case')), ' · ', el('a', { href: `#/sweep?policy=${name}` }, t('policies.sweep'))] : t('policies.fix_first'),
        ctx.editable ? [' · ', el('a', { href: `#/edit/${p.file.split('/').map(encodeURIComponent).join('/')}` }, t('policies.edit'))] : null));
  }

  main.append(
    el('p', { class: 'muted' }, t('policies.count', list.length)),
    el('table', { class: 'wide policies' },
      el('thead', {}, el('tr', {}, ['file', 'issuer', 'number', 'effective', 'base', 'errors', 'placeholders'].map((h) => el('th', {}, t('policies.h.' + h))), el('th', {}))),
      el('tbody', {}, rows)));
  const variants = list.filter((p) => baseOf(p));
  if (variants.length) {
    const v = variants[0], b = baseOf(v);
    main.append(el('p', {}, t('policies.compare_variant'),
      el('a', { href: `#/compare?a=${encodeURIComponent(b.name)}&b=${encodeURIComponent(v.name)}` }, t('policies.versus', b.name, v.name))));
  }
}
