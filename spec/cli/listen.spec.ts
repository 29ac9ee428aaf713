import { expect } from 'chai';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { startTestServer } from '../support/fauxqs.js';
import type { TestServer } from '../support/fauxqs.js';
import { cleanEnv, runChild, runInProcess } from './run.js';

const itemAdded = JSON.stringify({
  protocol: 'mega',
  version: 1,
  event: { name: 'item.added', domain: 'shopping_cart', subject: 'cart-9', timestamp: '2020-05-04T15:53:23Z', attributes: { item_id: 'x', quantity: 3 } },
});

describe('cli: listen', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });

  it('runs the module\'s subscribers with JSON logs and a health check, and stops cleanly on SIGTERM', async () => {
    const queueUrl = await server.createQueue({ name: 'cli-listen' });
    await server.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: itemAdded }));
    await server.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: '{"nobody":"wants this"}' }));
    const child = runChild(['listen', 'src/cli/demo/subscribers.ts', queueUrl, '--wait', '1', '--max-in-flight', '4', '--health-port', '0'], {
      env: cleanEnv({ AWS_ENDPOINT_URL: server.endpoint }),
    });
    const output = await child.waitFor(/"msg":"health check listening","url":"http:\/\/127\.0\.0\.1:\d+\/"/);
    const url = /"url":"(http:\/\/127\.0\.0\.1:\d+\/)"/.exec(output)?.[1] ?? '';
    // The demo subscriber's default reporter writes what it did to stdout.
    await child.waitFor('ItemAdded: cart cart-9: +3 of item x (json)');
    await child.waitFor('"msg":"no subscriber matched the message; deleting it"');
    const health = await fetch(url);
    expect(health.status).to.equal(200);
    expect(await health.json()).to.deep.equal({ status: 'polling' });

    child.kill('SIGTERM');
    const run = await child;
    expect(run.code, run.stderr).to.equal(0);
    const logs = run.stderr.trim().split('\n').map((line) => JSON.parse(line) as { level: string; msg: string });
    expect(logs.map((l) => l.msg)).to.include.members(['subscribers registered', 'listening', 'stopping on signal', 'stopped']);
    expect(logs.find((l) => l.msg === 'listening')).to.include({ maxInFlight: 4 });
    expect(logs.every((l) => ['debug', 'info', 'warn', 'error'].includes(l.level))).to.equal(true);
    // Both messages were settled and deleted; the health server is gone with the process.
    expect(await server.receiveAll(queueUrl, { min: 0, timeoutMs: 300 })).to.have.length(0);
    const closed = await fetch(url).then(() => 'open', () => 'closed');
    expect(closed).to.equal('closed');
  });

  it('consumes several queues with --queue URL[=WEIGHT] and --polling', async () => {
    const [a, b] = [await server.createQueue({ name: 'cli-a' }), await server.createQueue({ name: 'cli-b' })];
    await server.sqs.send(new SendMessageCommand({ QueueUrl: a, MessageBody: itemAdded }));
    await server.sqs.send(new SendMessageCommand({ QueueUrl: b, MessageBody: itemAdded }));
    const child = runChild(['listen', 'src/cli/demo/subscribers.ts', '--queue', `${a}=3`, '--queue', b, '--wait', '1'], { env: cleanEnv({ AWS_ENDPOINT_URL: server.endpoint }) });
    const output = await child.waitFor(/ItemAdded: cart cart-9[^]*ItemAdded: cart cart-9/);
    expect(output.match(/ItemAdded: cart cart-9/g)).to.have.length(2);
    child.kill('SIGTERM');
    const run = await child;
    expect(run.code, run.stderr).to.equal(0);
    expect(JSON.parse(run.stderr.split('\n').find((l) => l.includes('"listening"')) ?? '{}')).to.include({ polling: 'weighted' });
    for (const q of [a, b]) expect(await server.receiveAll(q, { min: 0, timeoutMs: 200 })).to.have.length(0);
    const both = await runInProcess(['listen', 'src/cli/demo/subscribers.ts', a, '--queue', b]);
    expect(both.code).to.equal(2);
    expect(both.stderr).to.match(/not both/);
  });

  it('the health check (on the --health-host given) fails (503) while ReceiveMessage fails, e.g. on a queue that does not exist', async () => {
    const child = runChild(['listen', 'src/cli/demo/subscribers.ts', `${server.endpoint}/000000000000/no-such-queue`, '--wait', '1', '--health-port', '0', '--health-host', '127.0.0.2'], {
      env: cleanEnv({ AWS_ENDPOINT_URL: server.endpoint }),
    });
    const output = await child.waitFor('"msg":"ReceiveMessage failed; retrying"');
    const url = /"url":"(http:\/\/127\.0\.0\.2:\d+\/)"/.exec(output)?.[1] ?? '';
    const health = await fetch(url);
    expect(health.status).to.equal(503);
    expect(await health.json()).to.deep.equal({ status: 'receive failing' });
    child.kill('SIGTERM');
    expect((await child).code).to.equal(0);
  });

  it('refuses a bad log level or health host (exit 2) and a module without subscribers (exit 1)', async () => {
    const env = cleanEnv({ AWS_ENDPOINT_URL: server.endpoint });
    const level = await runInProcess(['listen', 'src/cli/demo/subscribers.ts', `${server.endpoint}/000000000000/q`, '--log-level', 'loud'], { env });
    expect(level.code).to.equal(2);
    expect(level.stderr).to.contain('--log-level must be one of debug, info, warn, error');
    for (const [host, problem] of [
      ['example.com', '--health-host must be an IP address'],
      ['127.0.0.1', '--health-host needs --health-port'],
    ]) {
      const bad = await runInProcess(['listen', 'src/cli/demo/subscribers.ts', `${server.endpoint}/000000000000/q`, '--health-host', host as string], { env });
      expect(bad.code, host).to.equal(2);
      expect(bad.stderr).to.contain(problem);
    }
    const none = await runInProcess(['listen', 'spec/cli/fixtures/no-subscribers.ts', `${server.endpoint}/000000000000/q`], { env });
    expect(none.code).to.equal(1);
    expect(none.stderr).to.contain('exports no subscribers');
  });
});
