// Public names of the Lambda adapter (`sqs-mega/lambda`).
export { createLambdaHandler, LambdaBatchError, LambdaEventError } from './handler.js';
export type { LambdaHandler } from './handler.js';
export { LambdaOptionsError } from './lambda-options.js';
export type { LambdaHandlerOptions } from './lambda-options.js';
export type { LambdaContext, SnsEvent, SnsRecord, SqsBatchResponse, SqsEvent, SqsRecord, SqsRecordAttribute } from './events.js';
