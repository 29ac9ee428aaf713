// `sqs-mega/testing`: run subscribers on messages without a bus.
export { TestClient } from './dispatch/test-client.js';
export type { TestOutcome, TestContext } from './dispatch/test-client.js';
