// The only way the pages reach pol: the HTTP API under /api/v1 (docs/api.md). Every call
// returns {ok, status, data, error}: data is the parsed JSON (or the text of an HTML or CSV
// answer), error the server's {kind, field, message} when it refused.
'use strict';
const Api = (() => {
  const base = '/api/v1';

  async function call(method, path, opts = {}) {
    const q = new URLSearchParams();
    for (const [k, v] of opts.query || []) q.append(k, v);
    q.append('lang', Messages.lang); // the server's messages and explanations in the page's language
    const url = base + path + (q.toString() ? '?' + q : '');
    const init = { method, signal: opts.signal, headers: {} };
    if (opts.body !== undefined) {
      // A string or a file (Blob) goes as it is, with opts.contentType; anything else as JSON.
      const raw = typeof opts.body === 'string' || opts.body instanceof Blob;
      init.body = raw ? opts.body : JSON.stringify(opts.body);
      init.headers['Content-Type'] = opts.contentType || 'application/json';
    }
    let res;
    try {
      res = await fetch(url, init);
    } catch (e) {
      if (e.name === 'AbortError') throw e;
      return { ok: false, status: 0, error: { kind: 'network', field: null, message: t('api.network', e.message) } };
    }
    const type = res.headers.get('Content-Type') || '';
    const text = await res.text();
    let data = text;
    if (type.startsWith('application/json')) {
      try {
        data = JSON.parse(text);
      } catch (e) {
        return { ok: false, status: res.status, error: { kind: 'bad_answer', field: null, message: t('api.bad_json') } };
      }
    }
    if (!res.ok) {
      const error = data && data.error ? data.error : { kind: 'http', field: null, message: `HTTP ${res.status}` };
      return { ok: false, status: res.status, data, error };
    }
    return { ok: true, status: res.status, data };
  }

  // A case as JSON text: numbers keep the exact digits typed (never a float), anything that is
  // not a JSON number goes as a string so that the server says what is wrong with it.
  function caseJson(fields) {
    const parts = [];
    for (const [name, { kind, value }] of Object.entries(fields)) {
      if (value === '' || value === null || value === undefined) continue;
      let v;
      if (kind === 'number' && /^-?(0|[1-9]\d*)(\.\d+)?$/.test(value)) v = value;
      else if (kind === 'bool' && (value === 'true' || value === 'false')) v = value;
      else v = JSON.stringify(String(value));
      parts.push(JSON.stringify(name) + ':' + v);
    }
    return '{' + parts.join(',') + '}';
  }

  // {"case": <case JSON text>, ...rest}: the case is spliced in as text to keep its digits.
  function caseBody(caseText, rest = {}) {
    const tail = JSON.stringify(rest).slice(1);
    return '{"case":' + caseText + (tail === '}' ? '}' : ',' + tail);
  }

  return {
    xlsxType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    call,
    caseJson,
    caseBody,
    policies: () => call('GET', '/policies'),
    policy: (name) => call('GET', '/policies/' + encodeURIComponent(name)),
    file: (path) => call('GET', '/files/' + path.split('/').map(encodeURIComponent).join('/')),
    putFile: (path, body) => call('PUT', '/files/' + path.split('/').map(encodeURIComponent).join('/'), { body }),
    check: (text, path, signal) => call('POST', '/check', { body: { text, path }, signal }),
  };
})();
