// A small harness over headless Chromium (Debian's /usr/bin/chromium, driven by puppeteer-core)
// for checking pages as a reader sees them: open a file or URL, then check that it loaded, that
// nothing overflows its container, and that given text is visible. Reusable for any page pol
// writes or serves.
'use strict';
const fs = require('fs');
const path = require('path');
const { pathToFileURL } = require('url');
const { spawn } = require('child_process');
const puppeteer = require('puppeteer-core');

const CHROMIUM = process.env.POL_CHROMIUM || '/usr/bin/chromium';
// POL_BROWSER=firefox: Debian's Firefox ESR instead, driven over WebDriver BiDi.
const FIREFOX = process.env.POL_FIREFOX || '/usr/bin/firefox-esr';
const BROWSER = process.env.POL_BROWSER === 'firefox' ? 'firefox' : 'chromium';
const EXECUTABLE = BROWSER === 'firefox' ? FIREFOX : CHROMIUM;
// A4 is 210 mm wide; with the print style sheet's 12 mm margins, 186 mm of it holds the page
// (at 96 px an inch).
const A4_CONTENT_PX = Math.floor((186 / 25.4) * 96);

let browser = null;

// The browser in Chinese, as the analysts run it: its language (navigator.language, the
// Accept-Language it sends) and the format of its date fields (yyyy/mm/dd). Chromium's own
// words and date formats for zh-CN come from Debian's chromium-l10n (scripts/deps.sh); Firefox
// takes the dates' format from the locale of its environment.
const LOCALE = 'zh-CN';
const localeEnv = { ...process.env, LANGUAGE: 'zh_CN:zh', LANG: 'zh_CN.UTF-8', LC_ALL: 'zh_CN.UTF-8' };

async function launch() {
  if (!browser)
    browser = BROWSER === 'firefox'
      ? await puppeteer.launch({
        browser: 'firefox',
        executablePath: FIREFOX,
        headless: true,
        env: localeEnv,
        extraPrefsFirefox: { 'intl.locale.requested': LOCALE, 'intl.accept_languages': `${LOCALE}, zh`, 'intl.regional_prefs.use_os_locales': true },
      })
      : await puppeteer.launch({
        executablePath: CHROMIUM,
        headless: true,
        env: localeEnv,
        args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--font-render-hinting=none', `--lang=${LOCALE}`, `--accept-lang=${LOCALE},zh`],
      });
  return browser;
}

async function close() {
  if (browser) await browser.close();
  browser = null;
}

// open(url or file, {width, print}) → page: loaded, at `width` px (default 1280), in print
// emulation when `print` (then at the width A4 leaves). Network requests other than file: and
// the page's own URL are refused, so a page that needs the internet fails here.
async function open(target, opts = {}) {
  const b = await launch();
  const page = await b.newPage();
  const width = opts.print ? A4_CONTENT_PX : opts.width || 1280;
  await page.setViewport({ width, height: opts.height || 900 });
  if (opts.print) await page.emulateMediaType('print');
  const url = /^[a-z]+:\/\//.test(target) ? target : pathToFileURL(path.resolve(target)).href;
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
  const response = await page.goto(url, { waitUntil: 'load' });
  if (response && !response.ok() && !url.startsWith('file:')) throw new Error(`${url}: HTTP ${response.status()}`);
  await page.evaluate(() => document.fonts.ready);
  page.polErrors = errors;
  return page;
}

// Elements that stick out of their container to the right (or left) by more than a pixel, and
// the page itself wider than the window. Content of a box that scrolls sideways is that box's
// business; SVG text is checked against its drawing, so a clipped label counts.
async function overflows(page) {
  return page.evaluate(() => {
    const out = [];
    const describe = (e) => {
      const cls = e.getAttribute('class');
      const t = (e.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 40);
      return `<${e.tagName.toLowerCase()}${cls ? '.' + cls : ''}> "${t}"`;
    };
    const scrolls = (e) => {
      for (let a = e.parentElement; a; a = a.parentElement) {
        const o = getComputedStyle(a).overflowX;
        if (o === 'auto' || o === 'scroll') return true;
      }
      return false;
    };
    const de = document.documentElement;
    if (de.scrollWidth > de.clientWidth + 1) out.push(`the page is ${de.scrollWidth} px wide in a ${de.clientWidth} px window`);
    for (const e of document.body.querySelectorAll('*')) {
      const r = e.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      if (e instanceof SVGElement && e.tagName.toLowerCase() !== 'svg') {
        const svg = e.ownerSVGElement;
        if (!svg || !['text', 'rect', 'line', 'path', 'circle'].includes(e.tagName.toLowerCase())) continue;
        const s = svg.getBoundingClientRect();
        if (r.left < s.left - 1 || r.right > s.right + 1 || r.top < s.top - 1 || r.bottom > s.bottom + 1)
          out.push(`${describe(e)} is cut by its drawing (${Math.round(r.left)}–${Math.round(r.right)} in ${Math.round(s.left)}–${Math.round(s.right)})`);
        continue;
      }
      const p = e.parentElement;
      if (!p || scrolls(e)) continue;
      const q = p.getBoundingClientRect();
      if (r.right > q.right + 1 || r.left < q.left - 1)
        out.push(`${describe(e)} overflows ${describe(p)} (${Math.round(r.left)}–${Math.round(r.right)} in ${Math.round(q.left)}–${Math.round(q.right)})`);
    }
    return out;
  });
}

// Header cells broken to one character a line: a heading cell whose lines are each about one
// character wide (a cell of Chinese text squeezed too narrow).
async function squeezedHeadings(page) {
  return page.evaluate(() => {
    const out = [];
    for (const th of document.querySelectorAll('th')) {
      const text = th.textContent.trim();
      if ([...text].length < 2) continue;
      const range = document.createRange();
      range.selectNodeContents(th);
      const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
      if (lines.size >= [...text].length) out.push(`<th> "${text}" is broken into ${lines.size} lines`);
    }
    return out;
  });
}

// The text a reader sees: the rendered text of the page and of its drawings.
async function visibleText(page) {
  return page.evaluate(() => {
    let t = document.body.innerText;
    for (const e of document.querySelectorAll('svg text')) {
      const r = e.getBoundingClientRect();
      if (r.width > 0 && getComputedStyle(e).visibility !== 'hidden') t += '\n' + e.textContent;
    }
    return t;
  });
}

// The entries of `wanted` not in the visible text: each a string, or a list of the forms it
// may take (any one will do); a missing one is given in its first form.
async function missingText(page, wanted) {
  const t = await visibleText(page);
  return wanted
    .map((w) => (Array.isArray(w) ? w : [w]))
    .filter((forms) => !forms.some((f) => t.includes(f)))
    .map((forms) => forms[0]);
}

async function screenshot(page, file) {
  if (BROWSER !== 'chromium') file = file.replace(/\.png$/, `-${BROWSER}.png`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

// A number as the pages may print it: the digits of a JSON number or CSV cell, or (a rate)
// the same number as a percentage, "0.061" as "6.1%".
function numberForms(v) {
  const text = String(v).replace(/^"|"$/g, '');
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) return [text];
  const frac = (m[3] || '') + '00';
  const int = (m[2] + frac.slice(0, 2)).replace(/^0+(?=\d)/, '');
  const rest = frac.slice(2).replace(/0+$/, '');
  return [text, `${m[1]}${int}${rest ? '.' + rest : ''}%`];
}

// Starts `pol serve ARGS --port 0` (127.0.0.1, a free port) in `cwd` and resolves to
// {url, stop} once it listens. It is stopped with SIGTERM by stop(), and killed when this
// process exits or after `limitMs` (default 5 minutes), so a test never leaves it running.
function serve(pol, args, { cwd, env, limitMs = 300000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(pol, ['serve', ...args, '--port', '0'], { cwd, env: env || process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    const kill = () => child.exitCode === null && child.kill('SIGKILL');
    const timer = setTimeout(kill, limitMs);
    process.on('exit', kill);
    child.stderr.on('data', (d) => (err += d));
    child.stdout.on('data', (d) => {
      out += d;
      const m = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
      if (m) resolve({
        url: `http://127.0.0.1:${m[1]}`,
        stop: () => new Promise((done) => {
          if (child.exitCode !== null) return done(child.exitCode);
          child.on('exit', (code) => {
            clearTimeout(timer);
            done(code);
          });
          child.kill('SIGTERM');
        }),
      });
    });
    child.on('exit', (code) => reject(new Error(`pol serve exited (${code}) before listening: ${err || out}`)));
  });
}

// The text of a page pol rendered into an element's shadow root (the workbench's reports).
async function shadowText(page, selector) {
  return page.$eval(selector, (e) => (e.shadowRoot ? e.shadowRoot.textContent : ''));
}

module.exports = { BROWSER, EXECUTABLE, LOCALE, launch, close, open, overflows, squeezedHeadings, visibleText, missingText, screenshot, serve, shadowText, numberForms,
                   A4_CONTENT_PX };
