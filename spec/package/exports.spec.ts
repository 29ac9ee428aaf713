// The names the public API contract fixes are exported by the entry points users import, and the
// wire-format details behind them are not.
import { expect } from 'chai';
import * as lambda from '../../src/lambda.js';
import * as main from '../../src/index.js';
import * as testing from '../../src/testing.js';

const PATTERNS = ['eq', 'gt', 'gte', 'lt', 'lte', 'match', 'oneOf', 'not', 'and', 'or', 'any', 'empty', 'one_of', 'not_', 'and_', 'or_', 'any_'];
const MAIN = [
  ...PATTERNS,
  'PayloadBuilder',
  'MegaSchemaError',
  'encodePayload',
  'decodeBody',
  'SqsPublisher',
  'SnsPublisher',
  'SqsListener',
  'EventSubscriber',
  'DataSubscriber',
  'MessageSubscriber',
  'PlaintextSubscriber',
  'BinarySubscriber',
  'ProcessStatus',
  'RetriableError',
  'matches',
  'compilePattern',
  'explain',
  'TestClient',
  'filterPolicyFor',
  'lambdaFilterCriteriaFor',
  'MemoryIdempotencyStore',
  'RedisIdempotencyStore',
];

describe('package/exports', () => {
  it('sqs-mega exports every name the API contract fixes', () => {
    expect(MAIN.filter((name) => !(name in main))).to.deep.equal([]);
  });

  it('sqs-mega/lambda exports createLambdaHandler and the idempotency stores', () => {
    expect(Object.keys(lambda)).to.include.members(['createLambdaHandler', 'MemoryIdempotencyStore', 'RedisIdempotencyStore']);
  });

  it('sqs-mega/testing exports the TestClient alone', () => {
    expect(Object.keys(testing)).to.deep.equal(['TestClient']);
  });

  it('keeps the Extended Client wire constants internal', () => {
    const internal = ['POINTER_CLASS', 'LEGACY_POINTER_CLASS', 'PAYLOAD_SIZE_ATTRIBUTE', 'LEGACY_PAYLOAD_SIZE_ATTRIBUTE', 'DEFAULT_MAX_PAYLOAD_BYTES'];
    expect(internal.filter((name) => name in main)).to.deep.equal([]);
  });
});
