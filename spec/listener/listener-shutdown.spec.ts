import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { expect } from 'chai';
import type { TestServer } from '../support/fauxqs.js';
import { sendBodies, sleep, startTestServer } from './listener-helpers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('SqsListener graceful shutdown of a child process', function () {
  this.timeout(30_000);
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });

  it('on SIGTERM stops polling, finishes running handlers, deletes their messages, exits, and loses nothing', async () => {
    const queueUrl = await server.createQueue();
    const ids = Array.from({ length: 40 }, (_, i) => i);
    await sendBodies(server, queueUrl, ids.map((id) => JSON.stringify({ id })));

    const child = spawn(process.execPath, ['--import', 'tsx', 'spec/fixtures/listener-child.ts'], {
      cwd: ROOT,
      env: { ...process.env, QUEUE_URL: queueUrl, ENDPOINT: server.endpoint, NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err = (err + chunk.toString()).slice(-4000)));
    let atSignal: number | undefined;
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const processedCount = () => out.split('\n').filter((l) => l.startsWith('processed ')).length;
      const deadline = Date.now() + 15_000;
      while (processedCount() < 5) {
        if (Date.now() > deadline) throw new Error(`child made no progress: ${err}`);
        await sleep(20);
      }
      atSignal = processedCount();
      child.kill('SIGTERM');
      expect(await exited).to.equal(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }

    const lines = out.split('\n');
    expect(lines).to.include('stopped');
    const processed = lines.filter((l) => l.startsWith('processed ')).map((l) => Number(l.slice('processed '.length)));
    // Work was still running when the signal came, and it was let finish; not everything was taken.
    expect(processed.length).to.be.greaterThan(atSignal ?? Infinity);
    expect(processed.length).to.be.below(ids.length);
    // Whatever was not processed is visible at once: released, never left hidden by a cancelled receive.
    const attributes = await server.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
    );
    expect(attributes.Attributes).to.deep.include({
      ApproximateNumberOfMessages: String(ids.length - processed.length),
      ApproximateNumberOfMessagesNotVisible: '0',
    });
    // Whatever was processed was deleted; whatever was not is still there.
    const remaining = await server.receiveAll(queueUrl, { min: ids.length - processed.length, timeoutMs: 6_000 });
    const left = remaining.map((m) => (JSON.parse(m.Body ?? '{}') as { id: number }).id);
    expect(left.filter((id) => processed.includes(id))).to.deep.equal([]);
    expect([...new Set([...processed, ...left])].sort((a, b) => a - b)).to.deep.equal(ids);
  });
});
