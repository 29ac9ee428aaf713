// The package as a user gets it: `npm pack`, the tarball installed into an empty project (offline),
// then a consumer type-checked by its own `tsc --strict` and run as an ES module and as CommonJS,
// and the `sqs-mega` bin run from node_modules/.bin.
import { expect } from 'chai';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT, installTarball, mustRun, npmPack, run } from './consumer-project.js';
import type { Packed, Run } from './consumer-project.js';

const FIXTURES = join(PROJECT_ROOT, 'spec/package/fixtures');
const TSC = join(PROJECT_ROOT, 'node_modules/.bin/tsc');

/** What both consumers print (see fixtures/consumer.mts). */
interface ConsumerReport {
  bson: string;
  fromBson: { kind: string; encoding: string; quantity: unknown };
  fromJson: { kind: string; encoding: string; quantity: unknown };
  matched: string[];
  statuses: string[];
  deleted: boolean;
  seen: string[];
  optionsError: string;
  listenerSubscribers: number;
  sameInstance?: boolean;
}

/** Strings that look like real credentials; AWS's documented example keys end in EXAMPLE. */
const SECRET_PATTERNS: RegExp[] = [
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b(?<!EXAMPLE)/,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  /aws_secret_access_key\s*=\s*\S{16,}/i,
  /\b(?:ghp|gho|ghs|github_pat)_[A-Za-z0-9_]{20,}/,
  /\bnpm_[A-Za-z0-9]{36}\b/,
  /\bxox[abprs]-[A-Za-z0-9-]{10,}/,
];

describe('the npm package', function () {
  // Packing builds with tsc, then an install and a second tsc run: tens of seconds on a busy machine.
  this.timeout(240_000);

  let work: string;
  let app: string;
  let packed: Packed;
  let installed: string;
  let compiled: Run;

  before('pack, install into an empty project and compile a consumer', async function () {
    work = await mkdtemp(join(tmpdir(), 'sqs-mega-pack-'));
    app = join(work, 'consumer');
    packed = await npmPack(work);
    await installTarball(app, packed.tarball);
    installed = join(app, 'node_modules/sqs-mega');

    await mkdir(join(app, 'src'));
    await copyFile(join(FIXTURES, 'consumer.mts'), join(app, 'src/consumer.mts'));
    await copyFile(join(FIXTURES, 'consumer.cts'), join(app, 'src/consumer.cts'));
    const tsconfig = JSON.parse(await readFile(join(FIXTURES, 'tsconfig.json'), 'utf8')) as { compilerOptions: Record<string, unknown> };
    // The consumer's Node typings: the repository's own @types/node (the consumer installs no dev tools).
    tsconfig.compilerOptions.typeRoots = [join(PROJECT_ROOT, 'node_modules/@types')];
    await writeFile(join(app, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
    compiled = await run(TSC, ['-p', '.'], app);
  });

  after(async function () {
    if (work !== undefined) await rm(work, { recursive: true, force: true });
  });

  it('holds the build, the docs and package.json, and nothing from spec/, bench/ or src/', function () {
    const paths = packed.files.map((f) => f.path);
    expect(packed.entryCount).to.equal(paths.length);
    const stray = paths.filter((p) => !(p.startsWith('dist/src/') || p.startsWith('docs/') || /^(package\.json|README\.md|LICENSE)$/.test(p)));
    expect(stray, 'files outside dist/src, docs and the top-level metadata').to.deep.equal([]);
    expect(paths.filter((p) => p.startsWith('docs/api/')), 'generated API docs').to.deep.equal([]);
    expect(paths.filter((p) => p.startsWith('dist/src/') && !/\.(js|d\.ts|js\.map)$/.test(p)), 'non-build files in dist').to.deep.equal([]);
    expect(paths).to.include.members(['dist/src/index.js', 'dist/src/index.d.ts', 'dist/src/testing.js', 'dist/src/testing.d.ts', 'dist/src/lambda.js', 'dist/src/lambda.d.ts']);
  });

  it('points exports, types and bin at files it ships, and the bin is a node script', async function () {
    const pkg = JSON.parse(await readFile(join(installed, 'package.json'), 'utf8')) as {
      exports: Record<string, string | Record<string, string>>;
      types: string;
      main: string;
      bin: Record<string, string>;
    };
    const targets = [pkg.main, pkg.types, ...Object.values(pkg.bin)];
    for (const target of Object.values(pkg.exports)) targets.push(...(typeof target === 'string' ? [target] : Object.values(target)));
    const shipped = new Set([...packed.files.map((f) => f.path), 'package.json']);
    for (const target of targets) expect(shipped, `${target} is shipped`).to.include(target.replace(/^\.\//, ''));

    const bin = pkg.bin['sqs-mega'];
    expect(bin).to.be.a('string');
    expect((await readFile(join(installed, bin as string), 'utf8')).split('\n')[0]).to.equal('#!/usr/bin/env node');
  });

  it('ships source maps that carry their own sources', async function () {
    const maps = packed.files.filter((f) => f.path.endsWith('.map'));
    expect(maps).to.not.be.empty;
    for (const { path } of maps) {
      const map = JSON.parse(await readFile(join(installed, path), 'utf8')) as { sources: string[]; sourcesContent?: (string | null)[] };
      expect(map.sourcesContent, `${path}: sourcesContent`).to.have.length(map.sources.length);
      expect(map.sourcesContent?.every((s) => typeof s === 'string' && s.length > 0), `${path}: every source inlined`).to.equal(true);
    }
  });

  it('ships no credentials, private keys or tokens', async function () {
    const paths = packed.files.map((f) => f.path);
    expect(paths.filter((p) => /(^|\/)(\.env|\.npmrc|id_rsa|.*\.pem|.*\.key)$/.test(p))).to.deep.equal([]);
    for (const path of paths) {
      const text = await readFile(join(installed, path), 'utf8');
      for (const pattern of SECRET_PATTERNS) expect(pattern.test(text), `${path} matches ${pattern}`).to.equal(false);
    }
  });

  it("type-checks a consumer's ES module and CommonJS files under tsc --strict", function () {
    expect(compiled.code, `tsc output:\n${compiled.stdout}${compiled.stderr}`).to.equal(0);
  });

  it('runs as an ES module: encode, decode and a TestClient send', async function () {
    const report = JSON.parse((await mustRun('node', ['out/consumer.mjs'], app)).stdout) as ConsumerReport;
    expectConsumerReport(report);
  });

  it('runs under require() from CommonJS, sharing one module instance with import()', async function () {
    const report = JSON.parse((await mustRun('node', ['out/consumer.cjs'], app)).stdout) as ConsumerReport;
    expectConsumerReport(report);
    expect(report.sameInstance).to.equal(true);
  });

  it('runs the sqs-mega bin: --help through npx, decode of base64 BSON', async function () {
    const help = await mustRun('npx', ['--offline', '--no', '--', 'sqs-mega', '--help'], app);
    expect(help.stdout).to.match(/^Usage: sqs-mega <command>/);
    for (const command of ['publish', 'consume', 'peek', 'decode', 'match', 'listen', 'demo']) expect(help.stdout).to.include(`  ${command} `);

    const { bson } = JSON.parse((await mustRun('node', ['out/consumer.mjs'], app)).stdout) as ConsumerReport;
    const decoded = await mustRun(join(app, 'node_modules/.bin/sqs-mega'), ['decode', bson], app);
    const json = JSON.parse(decoded.stdout) as { kind: string; encoding: string; payload: { event: { name: string; domain: string; attributes: unknown } } };
    expect(json).to.include({ kind: 'mega', encoding: 'bson' });
    expect(json.payload.event).to.include({ name: 'item.added', domain: 'shopping_cart' });
    expect(json.payload.event.attributes).to.deep.equal({ item_id: 'x1', quantity: 5 });
  });

  it('says how to get the embedded server when the demo runs without fauxqs (a dev dependency)', async function () {
    const demo = await run(join(app, 'node_modules/.bin/sqs-mega'), ['demo'], app);
    expect(demo.code).to.not.equal(0);
    expect(demo.stderr).to.include('fauxqs');
    expect(demo.stderr).to.include('AWS_ENDPOINT_URL');
  });
});

function expectConsumerReport(report: ConsumerReport): void {
  expect(report.fromBson).to.deep.equal({ kind: 'mega', encoding: 'bson', quantity: 5 });
  expect(report.fromJson).to.deep.equal({ kind: 'mega', encoding: 'json', quantity: 5 });
  expect(report.matched).to.deep.equal(['ItemAdded']);
  expect(report.statuses).to.deep.equal(['RETRY_LATER']);
  expect(report.deleted).to.equal(false);
  expect(report.seen).to.have.length(1);
  expect(report.seen[0]).to.match(/^item\.added \S+$/);
  expect(report.optionsError).to.equal('ListenerOptionsError');
  expect(report.listenerSubscribers).to.equal(1);
}
