import { expect } from 'chai';
import { ListQueuesCommand } from '@aws-sdk/client-sqs';
import { startTestServer } from '../support/fauxqs.js';
import { cleanEnv, runChild } from './run.js';

describe('cli: demo', () => {
  it('with nothing configured, runs end to end on an embedded server and exits 0', async () => {
    const run = await runChild(['demo'], { env: cleanEnv(), timeoutMs: 45_000 });
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.match(/^sqs-mega demo on an embedded fauxqs at http:\/\/127\.0\.0\.1:\d+$/m);
    expect(run.stdout).to.contain('published 9 messages:');
    // Every kind of payload and route, and what each subscriber did with it.
    expect(run.stdout).to.contain('decoded   MEGA event shopping_cart/item.added v2 (json, SNS envelope)');
    expect(run.stdout).to.contain('decoded   MEGA event shopping_cart/item.added v1 (bson)');
    expect(run.stdout).to.contain('decoded   data object (bson)');
    expect(run.stdout).to.contain('decoded   plaintext, 18 characters (text)');
    expect(run.stdout).to.contain('ItemAdded: cart 18a3f92e-1fbf-45eb-8769-d836d0a1be55: +5 of item 61fcc874 (json)');
    expect(run.stdout).to.contain('UserNotification: sms to user 1234 <jane@example.com> (bson)');
    expect(run.stdout).to.contain('Ping: got "PING from the demo"');
    // The decisions: unmatched, invalid and fatal are deleted (the last two after a dead-letter copy);
    // RETRY_LATER keeps the message, which comes back and is done on its second receive.
    expect(run.stdout).to.contain('decision  delete (no subscriber wants it)');
    expect(run.stdout).to.contain('decision  delete (the body is invalid), after a copy to the dead-letter queue');
    expect(run.stdout).to.contain('results   PaymentCaptured FATAL_ERROR');
    expect(run.stdout).to.contain('results   CheckoutStarted RETRY_LATER');
    expect(run.stdout).to.contain('4. checkout.started: left on the queue, visible again in 1 s');
    expect(run.stdout).to.contain('checked out on receive 2');
    expect(run.stdout).to.contain('done: 9 messages published, 9 deleted (2 copied to the dead-letter queue first), 1 retry.');
    expect(run.stderr).to.equal('');
  });

  it('uses a configured endpoint instead, and deletes what it created', async () => {
    const server = await startTestServer();
    const run = await runChild(['demo'], { env: cleanEnv({ AWS_ENDPOINT_URL: server.endpoint }), timeoutMs: 45_000 });
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.contain(`sqs-mega demo on ${server.endpoint}`);
    expect(run.stdout).to.contain('done: 9 messages published, 9 deleted');
    const queues = await server.sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'sqs-mega-demo' }));
    expect(queues.QueueUrls ?? []).to.have.length(0);
  });

  it('without fauxqs installed, says to install it (exit 1)', async () => {
    const run = await runChild(['demo'], { env: cleanEnv(), nodeArgs: ['--import', './spec/cli/fixtures/hide-fauxqs.mjs'] });
    expect(run.code).to.equal(1);
    expect(run.stderr).to.contain('which is not installed: run `npm install --save-dev fauxqs`');
  });
});
