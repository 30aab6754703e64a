#!/usr/bin/env node
// The `baton` command. It runs the compiled CLI in dist/ (built by `npm ci` through the
// "prepare" script); in a source checkout without a build, it says how to make one.
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const entry = join(__dirname, '..', 'dist', 'apps', 'cli', 'src', 'main.js');
if (!existsSync(entry)) {
  process.stderr.write('baton: not built yet; run `npm run build` (npm ci does it for you)\n');
  process.exit(70);
}
require(entry);
