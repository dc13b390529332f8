// The router: #/ (policies), #/policy/NAME, #/case/NAME, #/compare, #/sweep, #/edit/PATH.
// Each page is a function (main element, route arguments, query) that fills the page; a page
// may return a cleanup function, called when another page is shown.
'use strict';
const App = (() => {
  const pages = {
    policies: PoliciesPage,
    policy: PolicyPage,
    case: CasePage,
    compare: ComparePage,
    sweep: SweepPage,
    edit: EditPage,
  };
  let cleanup = null;
  let editable = null;

  // Whether the server writes rule files (--edit): a PUT to a path that cannot be a file is
  // refused as read-only (405) without --edit, and as a bad path otherwise; nothing is written.
  async function canEdit() {
    if (editable === null) {
      const r = await Api.call('PUT', '/files/.probe', { body: {} });
      editable = r.status !== 405;
      document.getElementById('nav-edit').hidden = !editable;
    }
    return editable;
  }

  async function show() {
    const hash = location.hash.replace(/^#\/?/, '');
    const [pathPart, queryPart] = hash.split('?');
    const parts = pathPart.split('/').filter(Boolean).map(decodeURIComponent);
    const name = parts[0] || 'policies';
    const page = pages[name] || pages.policies;
    const query = new URLSearchParams(queryPart || '');
    if (cleanup) cleanup();
    cleanup = null;
    UI.status('');
    for (const a of document.querySelectorAll('#nav a'))
      a.classList.toggle('here', a.dataset.page === name || (name === 'policy' && a.dataset.page === 'policies'));
    const main = document.getElementById('main');
    main.innerHTML = '';
    main.className = 'page-' + name;
    try {
      cleanup = (await page(main, parts.slice(1), query, { editable: await canEdit() })) || null;
    } catch (e) {
      main.append(UI.errorBox(e && e.message ? e : { message: String(e) }));
    }
  }

  window.addEventListener('hashchange', show);
  window.addEventListener('DOMContentLoaded', () => {
    Messages.fillPage(document);
    show();
  });
  return { show, canEdit };
})();
