#!/usr/bin/env node
// Runs the TypeScript sources through tsx so a fresh clone needs no build step and can never run a stale build.
require('tsx/cjs');
require('../src/cli/main.ts').runCli();
