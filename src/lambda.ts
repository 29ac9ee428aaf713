// `sqs-mega/lambda`: the same subscribers on AWS Lambda's SQS and SNS triggers.
export * from './lambda/exports.js';
// The idempotency stores, so a handler needs no second import.
export * from './idempotency/exports.js';
