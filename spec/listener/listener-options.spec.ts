import { expect } from 'chai';
import { ListenerOptionsError, resolveListenerOptions, type SqsListenerOptions } from '../../src/listener/listener-options.js';
import { silentLogger } from '../../src/aws/logger.js';

const queueUrl = 'http://127.0.0.1:1/000000000000/q';

function issuesOf(options: unknown): { path: string; message: string }[] {
  try {
    resolveListenerOptions(options as SqsListenerOptions);
  } catch (error) {
    expect(error).to.be.instanceOf(ListenerOptionsError);
    return (error as ListenerOptionsError).issues as { path: string; message: string }[];
  }
  throw new Error('expected a ListenerOptionsError');
}

describe('listener/listener-options', () => {
  it('fills in the contract defaults', () => {
    const o = resolveListenerOptions({ queueUrl });
    expect(o).to.deep.include({ maxNumberOfMessages: 10, waitTimeSeconds: 20, visibilityTimeout: 30, concurrency: 1, maxInFlight: 20, shutdownTimeoutMs: 30_000, handleSignals: true });
    expect(o.deadLetterQueueUrl).to.equal(undefined);
    expect(o.retryDelaySeconds(3)).to.be.within(0, 8);
    expect(o.logger.info).to.be.a('function');
  });

  it('derives maxInFlight from concurrency and batch size unless given', () => {
    expect(resolveListenerOptions({ queueUrl, concurrency: 3, maxNumberOfMessages: 5 }).maxInFlight).to.equal(30);
    expect(resolveListenerOptions({ queueUrl, concurrency: 3, maxInFlight: 7 }).maxInFlight).to.equal(7);
  });

  it('keeps the functions, logger and error classes it was given', () => {
    class Oops extends Error {}
    const retryDelaySeconds = () => 5;
    const o = resolveListenerOptions({ queueUrl, retriableErrors: [Oops], retryDelaySeconds, logger: silentLogger, deadLetterQueueUrl: `${queueUrl}-dlq` });
    expect(o.retriableErrors).to.deep.equal([Oops]);
    expect(o.retryDelaySeconds).to.equal(retryDelaySeconds);
    expect(o.logger.info).to.be.a('function');
    expect(o.deadLetterQueueUrl).to.equal(`${queueUrl}-dlq`);
  });

  it('names every out-of-range field', () => {
    const issues = issuesOf({ queueUrl, maxNumberOfMessages: 11, waitTimeSeconds: 21, visibilityTimeout: 43_201, concurrency: 0 });
    expect(issues.map((i) => i.path).sort()).to.deep.equal(['concurrency', 'maxNumberOfMessages', 'visibilityTimeout', 'waitTimeSeconds']);
    expect(issues.find((i) => i.path === 'maxNumberOfMessages')?.message).to.match(/1 to 10/);
  });

  it('rejects a missing queue URL, non-integers, wrong types and unknown options with a readable message', () => {
    expect(issuesOf({}).map((i) => i.path)).to.deep.equal(['queueUrl']);
    expect(issuesOf({ queueUrl: 'orders' })[0]?.message).to.match(/must be a queue URL such as https:/);
    expect(issuesOf({ queueUrl, maxNumberOfMessages: 2.5 })[0]?.path).to.equal('maxNumberOfMessages');
    expect(issuesOf({ queueUrl, logger: { info() {} } })[0]?.message).to.match(/debug, info, warn and error/);
    expect(issuesOf({ queueUrl, retryDelaySeconds: 5 })[0]?.path).to.equal('retryDelaySeconds');
    expect(issuesOf({ queueUrl, retriableErrors: [Error, 'TimeoutError', class NotAnError {}] }).map((i) => i.path)).to.deep.equal(['retriableErrors.1', 'retriableErrors.2']);
    expect(issuesOf({ queueUrl, client: {} })[0]?.message).to.match(/SQSClient/);
    expect(issuesOf({ queueUrl, maxMessages: 5 })[0]?.message).to.match(/unknown option.*maxMessages/);
    expect(issuesOf({ queueUrl, heartbeatFraction: 1 })[0]?.path).to.equal('heartbeatFraction');
    // Past 0.9 too little of the visibility timeout is left for the extension to reach SQS.
    expect(issuesOf({ queueUrl, heartbeatFraction: 0.95 })[0]).to.deep.include({ path: 'heartbeatFraction' });
    expect(issuesOf({ queueUrl, heartbeatFraction: 0.95 })[0]?.message).to.match(/at most 0\.9/);
    expect(resolveListenerOptions({ queueUrl, heartbeatFraction: 0.9 }).heartbeatFraction).to.equal(0.9);
    expect(issuesOf({ queueUrl, deadLetterQueueUrl: queueUrl })[0]?.path).to.equal('deadLetterQueueUrl');
    expect(issuesOf(null)[0]?.path).to.equal('(options)');
    expect(issuesOf({ queueUrl, client: { send() {} }, region: 'eu-west-1' })[0]).to.deep.equal({ path: 'region', message: 'configure the client you pass instead (client was given)' });
    expect(() => resolveListenerOptions({ queueUrl, waitTimeSeconds: -1 })).to.throw(/Invalid SqsListener options: waitTimeSeconds/);
  });

  it('limits processing to handlerTimeoutSeconds: 900 by default, more than 0 and at most the SQS 12 hours', () => {
    expect(resolveListenerOptions({ queueUrl }).handlerTimeoutSeconds).to.equal(900);
    expect(resolveListenerOptions({ queueUrl, handlerTimeoutSeconds: 1.5 }).handlerTimeoutSeconds).to.equal(1.5);
    expect(resolveListenerOptions({ queueUrl, handlerTimeoutSeconds: 43_200 }).handlerTimeoutSeconds).to.equal(43_200);
    for (const bad of [0, -1, 43_201, Number.NaN, Number.POSITIVE_INFINITY, '60']) {
      const issues = issuesOf({ queueUrl, handlerTimeoutSeconds: bad });
      expect(issues.map((i) => i.path), String(bad)).to.deep.equal(['handlerTimeoutSeconds']);
    }
    expect(issuesOf({ queueUrl, handlerTimeoutSeconds: 0 })[0]?.message).to.match(/more than 0 and at most 43200 seconds/);
  });

  it('guards the listener against a logger that throws', () => {
    const calls: string[] = [];
    const throwing = { debug() {}, info: (m: string) => { calls.push(m); throw new Error('disk full'); }, warn() {}, error() {} };
    const o = resolveListenerOptions({ queueUrl, logger: throwing });
    expect(() => o.logger.info('hello')).to.not.throw();
    expect(calls).to.deep.equal(['hello']);
  });
});
