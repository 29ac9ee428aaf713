// Service quotas the publishers enforce before sending (AWS documents these; local servers follow them).

/** Largest SQS message: body plus message attributes. */
export const SQS_MAX_MESSAGE_BYTES = 1_048_576;
/** Largest SendMessageBatch request: the sum of its messages. */
export const SQS_MAX_BATCH_BYTES = 1_048_576;
/** Largest SNS message: body plus message attributes. */
export const SNS_MAX_MESSAGE_BYTES = 262_144;
/** Largest SNS PublishBatch request: the sum of its messages. */
export const SNS_MAX_BATCH_BYTES = 262_144;
/** Entries per SendMessageBatch / PublishBatch request. */
export const MAX_BATCH_ENTRIES = 10;
/** Largest per-message delay. */
export const MAX_DELAY_SECONDS = 900;
/** Message attributes per message (SQS, and what SNS raw delivery to SQS keeps). */
export const MAX_MESSAGE_ATTRIBUTES = 10;
/** Longest MessageGroupId / MessageDeduplicationId. */
export const MAX_FIFO_ID_LENGTH = 128;
/** Longest SNS subject. */
export const MAX_SUBJECT_LENGTH = 100;
/** Longest visibility timeout, and the most one receive can be kept hidden in total (12 h). */
export const SQS_MAX_VISIBILITY_SECONDS = 43_200;
