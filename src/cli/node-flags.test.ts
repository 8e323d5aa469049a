import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SERVER_NODE_FLAGS } from './node-flags.js';

const projectFile = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

describe('server V8 flags', () => {
  it('npm start passes them to node before the CLI', () => {
    const start = (JSON.parse(projectFile('package.json')) as { scripts: Record<string, string> }).scripts.start;
    expect(start).toBe(`node ${SERVER_NODE_FLAGS.join(' ')} src/cli/bin.js serve`);
  });

  it('the bin runs node with them, so `xiaoan serve` gets them too', () => {
    const shebang = projectFile('src/cli/bin.js').split('\n')[0];
    expect(shebang).toBe(`#!/usr/bin/env -S node ${SERVER_NODE_FLAGS.join(' ')}`);
  });
});
