#!/usr/bin/env -S node --max-semi-space-size=64
// Runs the TypeScript CLI directly (no build step after `npm ci`).
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('./main.ts');
const code = await runCli(
  process.argv.slice(2),
  {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    stdin: process.stdin,
    stdout: process.stdout,
    isTty: Boolean(process.stdout.isTTY),
  },
  process.env,
);
if (code !== 0 || process.argv[2] !== 'serve') process.exitCode = code;
