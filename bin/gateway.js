#!/usr/bin/env node
// The gateway command; the TypeScript sources are built into dist/ by `npm run build`.
import '../dist/cli.js';
