import { inspect } from 'node:util';
import { expect } from 'chai';
import { SqsListener } from '../../src/listener/listener.js';
import { jsonLogger, type ListenerLogger } from '../../src/aws/logger.js';
import { SqsPublisher } from '../../src/publish/publish-sqs.js';
import { DataSubscriber } from '../../src/dispatch/data-subscribers.js';
import { sendBodies } from '../listener/listener-helpers.js';
import { behindFaultProxy, isEmpty, queueDepth, recordFigures, waitFor } from './support.js';

// Logs must never hold credentials, whatever goes wrong, and must cut message bodies to a bounded size.
// The listener and the publisher get explicit credentials (fauxqs does not check them) and run
// through faults; every line and every argument handed to the logger is searched for them.
const SECRETS = {
  accessKeyId: 'AKIAREL1ABILITYTEST7',
  secretAccessKey: 'rel1ab1l1tySecretKey/DoNotLog+0123456789ab',
  sessionToken: 'FwoGZXIvYXdzEReliabilitySessionTokenDoNotLog0123456789',
};
// The SDK tags credential objects it is given (a `$source` field), so each client gets a fresh copy.
const credentials = () => ({ ...SECRETS });
const SECRET_VALUES = Object.entries(SECRETS);
const LINE_LIMIT = 16 * 1024;

/** A logger that keeps each call both as the JSON line jsonLogger writes and as a deep inspection of its arguments. */
function capturingLogger(): { logger: ListenerLogger; lines: string[] } {
  const lines: string[] = [];
  const json = jsonLogger({ level: 'debug', write: (line) => void lines.push(line) });
  const at =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...args: unknown[]): void => {
      json[level](...args);
      lines.push(inspect(args, { depth: 12, showHidden: true, maxStringLength: null, maxArrayLength: null }));
    };
  return { logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }, lines };
}

function assertClean(texts: string[]): void {
  for (const text of texts) {
    for (const [name, secret] of SECRET_VALUES) {
      expect(text.includes(secret), `${name} found in: ${text.slice(0, 300)}`).to.equal(false);
    }
  }
}

describe('reliability: logs hold no credentials and bounded bodies', function () {
  this.timeout(30_000);
  const env = behindFaultProxy(3);

  it('a listener with explicit credentials, under faults and failing subscribers, logs neither the credentials nor whole bodies', async () => {
    const queueUrl = await env.server.createQueue({ name: 'logs' });
    const big = 'Z'.repeat(200_000);
    await sendBodies(env.server, queueUrl, [
      JSON.stringify({ kind: 'ok' }),
      JSON.stringify({ kind: 'boom', big }),
      `{"protocol":"mega","version":1,"event":{"timestamp":"2024-01-01T00:00:00Z"},"big":"${big}"}`,
      big,
      JSON.stringify({ kind: 'unmatched', big }),
    ]);
    class Boom extends DataSubscriber {
      pattern = { kind: 'boom' };
      process(): void {
        throw new Error(`subscriber failed on a message of ${big.length} characters`);
      }
    }
    class Ok extends DataSubscriber {
      pattern = { kind: 'ok' };
      process() {}
    }
    const { logger, lines } = capturingLogger();
    env.proxy.inject({ kind: 'throttle', rate: 0.2 });
    env.proxy.inject({ kind: 'server-error', rate: 0.2 });
    env.proxy.inject({ kind: 'refuse', rate: 0.1 });
    const listener = new SqsListener({
      queueUrl,
      endpoint: env.proxy.endpoint,
      region: 'us-east-1',
      credentials: credentials(),
      waitTimeSeconds: 1,
      visibilityTimeout: 2,
      handleSignals: false,
      logger,
    });
    listener.registerSubscriber(Boom);
    listener.registerSubscriber(Ok);
    const listening = listener.listen();
    try {
      await waitFor('every message settled', async () => isEmpty(await queueDepth(env.server.sqs, queueUrl)), 20_000, 100);
    } finally {
      await listener.stop();
      await listening;
    }
    // And a listener on a queue that does not exist: its errors are logged too.
    const missing = new SqsListener({
      queueUrl: queueUrl + '-missing',
      endpoint: env.proxy.endpoint,
      region: 'us-east-1',
      credentials: credentials(),
      waitTimeSeconds: 0,
      handleSignals: false,
      logger,
    });
    const missingListening = missing.listen();
    await waitFor('an error about the missing queue', () => lines.some((l) => /NonExistentQueue|does not exist/i.test(l)), 10_000);
    await missing.stop();
    await missingListening;

    expect(env.proxy.stats().faults, 'faults were injected').to.be.above(0);
    expect(lines.some((l) => l.includes('subscriber failed')), 'the failure was logged').to.equal(true);
    expect(lines.some((l) => l.includes('ZZZZZZZZ')), 'a cut body was logged').to.equal(true);
    assertClean(lines);
    const longest = Math.max(...lines.map((l) => l.length));
    expect(longest, 'the longest log line').to.be.below(LINE_LIMIT);
    recordFigures('hostile-logs', {
      logLines: lines.length / 2,
      longestLogLine: longest,
      largestBody: big.length + 60,
      faultsInjected: env.proxy.stats().faults,
      credentialsFound: 0,
    });
  });

  // What console.error(error), a JSON serialiser and String() show, following causes to any depth.
  // (With showHidden, util.inspect reaches the AWS SDK's own non-enumerable `$response` on the cause,
  // whose raw socket request still holds the signed headers: the SDK's, not this library's, object.)
  it('publisher errors (throttled, 5xx, unreachable) carry no credentials, printed or serialised', async () => {
    const queueUrl = await env.server.createQueue({ name: 'logs-publish' });
    const publisher = new SqsPublisher({ queueUrl, endpoint: env.proxy.endpoint, region: 'us-east-1', credentials: credentials() });
    const errors: unknown[] = [];
    env.proxy.inject({ kind: 'throttle' });
    await publisher.publish({ kind: 'x' }).catch((e: unknown) => errors.push(e));
    env.proxy.clear();
    env.proxy.inject({ kind: 'server-error', status: 500 });
    const batch = await publisher.publishBatch([{ kind: 'a' }, { kind: 'b' }]).catch((e: unknown) => e);
    errors.push(batch);
    env.proxy.clear();
    await env.proxy.pause();
    await publisher.publish({ kind: 'y' }).catch((e: unknown) => errors.push(e));
    await env.proxy.resume();
    expect(errors.length).to.be.at.least(2);
    const texts = errors.flatMap((e) => [String(e), inspect(e), inspect(e, { depth: 12, maxStringLength: null }), JSON.stringify(e) ?? '']);
    assertClean(texts);
  });
});
