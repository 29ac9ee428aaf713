import { expect } from 'chai';
import { readFileSync } from 'node:fs';

// The README's example must be code that compiles: readme-example.ts holds it (tsc checks that file
// in `npm test`), and this spec keeps the README's copy identical to it.
describe('README', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const example = readFileSync(new URL('./readme-example.ts', import.meta.url), 'utf8');

  it('shows the type-checked example verbatim', () => {
    const block = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    const code = example.replace(/^(\/\/.*\n)+/, '');
    expect(block).to.equal(code);
  });

  it('gives the commands that set up, demo and test a fresh clone', () => {
    for (const command of ['npm ci', 'npm start', 'npm test']) expect(readme).to.include(command);
  });
});
