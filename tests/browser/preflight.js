// What every browser test does before it loads the harness (which needs puppeteer-core): read
// POL_BINARY SOURCE_DIR OUT_DIR from the command line (usage and exit 2 without them), and
// check that what it needs is installed. Missing, it is skipped (exit 77), or fails when
// CI=true, where the set-up command installs all of it. No dependencies beyond node itself.
'use strict';
const fs = require('fs');
const path = require('path');

// `needs(src)` lists the paths the test needs; `required(src)` says whether their absence fails
// under CI (default: yes). Returns {pol, src, out}.
function preflight(script, needs, required = () => true) {
  const [pol, src, out] = process.argv.slice(2);
  if (!pol || !src || !out) {
    console.error(`usage: ${script} POL_BINARY SOURCE_DIR OUT_DIR`);
    process.exit(2);
  }
  const paths = [...needs(src), path.join(__dirname, 'node_modules', 'puppeteer-core')];
  if (!paths.every((f) => fs.existsSync(f))) {
    const ci = process.env.CI === 'true' && required(src);
    console.log(`${ci ? 'failed' : 'skipped'}: needs ${paths.join(', ')} (scripts/test installs them: apt, npm ci)`);
    process.exit(ci ? 1 : 77);
  }
  fs.mkdirSync(out, { recursive: true });
  return { pol, src, out };
}

const chromium = () => process.env.POL_CHROMIUM || '/usr/bin/chromium';

module.exports = { preflight, chromium };
