// `sqs-mega/lambda`: the same subscribers on AWS Lambda's SQS and SNS triggers.
export * from './lambda/exports.js';
