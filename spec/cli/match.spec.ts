import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { encodePayload } from '../../src/codec/encode.js';
import { runChild } from './run.js';

// Subscriber modules are imported by the CLI at run time; under mocha's CommonJS loading that would
// be a second copy of the library, so these run the real executable (which is all ESM).

const DEMO = 'src/cli/demo/subscribers.ts';

describe('cli: match', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sqs-mega-match-'));
  });

  async function body(name: string, content: string): Promise<string> {
    const file = join(dir, name);
    await writeFile(file, content);
    return file;
  }

  const itemAdded = (quantity: number) =>
    JSON.stringify({
      protocol: 'mega',
      version: 1,
      event: { name: 'item.added', domain: 'shopping_cart', timestamp: '2020-05-04T15:53:23Z', attributes: { item_id: 'x', quantity } },
    });

  it('says which subscribers match and why each other one does not', async () => {
    const run = await runChild(['match', DEMO, await body('added.json', itemAdded(5))]);
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.contain('message: MEGA event shopping_cart/item.added v1 (json)');
    expect(run.stdout).to.contain('1 of 5 subscribers match');
    expect(run.stdout).to.match(/^MATCH +ItemAdded$/m);
    expect(run.stdout).to.match(/^NO MATCH CheckoutStarted\n {2}fails name: expected "checkout.started", got "item.added"/m);
    expect(run.stdout).to.contain('NO MATCH UserNotification: UserNotification only sees a data object; this message is a MEGA event');
  });

  it('names the failing path with expected and actual values', async () => {
    const run = await runChild(['match', DEMO, await body('zero.json', itemAdded(0))]);
    expect(run.stdout).to.contain('0 of 5 subscribers match');
    expect(run.stdout).to.contain('fails attributes at attributes.quantity: expected gt(0), got 0');
  });

  it('takes any SQS body, e.g. base64 BSON data, and prints JSON lines with --json', async () => {
    const bson = encodePayload({ type: 'user:notification:sms', notification_type: 'sms', user: { id: 3, email: 'a@example.com' } }, { binaryEncoding: true });
    const run = await runChild(['match', DEMO, await body('data.txt', bson), '--json']);
    const lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.subscriber)).to.have.members(['ItemAdded', 'CheckoutStarted', 'PaymentCaptured', 'UserNotification', 'Ping']);
    expect(lines.filter((l) => l.matched).map((l) => l.subscriber)).to.deep.equal(['UserNotification']);
  });

  it('fails (exit 1) on a module with no subscribers, a missing module and a malformed pattern, saying which', async () => {
    const file = await body('any.json', itemAdded(1));
    const none = await runChild(['match', 'spec/cli/fixtures/no-subscribers.ts', file]);
    expect(none.code).to.equal(1);
    expect(none.stderr).to.contain('exports no subscribers');
    const missing = await runChild(['match', 'spec/cli/fixtures/nope.ts', file]);
    expect(missing.code).to.equal(1);
    expect(missing.stderr).to.contain('subscriber module spec/cli/fixtures/nope.ts not found');
    const bad = await runChild(['match', 'spec/cli/fixtures/bad-pattern.ts', file]);
    expect(bad.code).to.equal(1);
    expect(bad.stderr).to.contain('cannot register a subscriber').and.to.contain('quantity');
  });
});
