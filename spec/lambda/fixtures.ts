// Lambda events in the shapes AWS documents for the SQS and SNS triggers (values from AWS's own examples).
import type { SnsEvent, SnsRecord, SqsEvent, SqsRecord } from '../../src/lambda/events.js';

export const QUEUE_ARN = 'arn:aws:sqs:us-east-2:123456789012:my-queue';
export const QUEUE_URL = 'https://sqs.us-east-2.amazonaws.com/123456789012/my-queue';

export function sqsRecord(messageId: string, body: string, extra: { receiveCount?: number; group?: string; attributes?: SqsRecord['messageAttributes'] } = {}): SqsRecord {
  return {
    messageId,
    receiptHandle: `AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a-${messageId}`,
    body,
    attributes: {
      ApproximateReceiveCount: String(extra.receiveCount ?? 1),
      SentTimestamp: '1545082649183',
      SenderId: 'AIDAIENQZJOLO23YVJ4VO',
      ApproximateFirstReceiveTimestamp: '1545082649185',
      ...(extra.group === undefined
        ? {}
        : { MessageGroupId: extra.group, MessageDeduplicationId: `dedup-${messageId}`, SequenceNumber: '18849496460467696128' }),
    },
    messageAttributes: extra.attributes ?? {},
    md5OfBody: 'e4e68fb7bd0e697a0ae8f1bb342846b3',
    eventSource: 'aws:sqs',
    eventSourceARN: extra.group === undefined ? QUEUE_ARN : `${QUEUE_ARN}.fifo`,
    awsRegion: 'us-east-2',
  };
}

export const sqsEvent = (...records: SqsRecord[]): SqsEvent => ({ Records: records });

export function snsRecord(messageId: string, message: string, attributes: Record<string, { Type: string; Value: string }> = {}): SnsRecord {
  return {
    EventVersion: '1.0',
    EventSubscriptionArn: 'arn:aws:sns:us-east-1:123456789012:sns-lambda:21be56ed-a058-49f5-8c98-aedd2564c486',
    EventSource: 'aws:sns',
    Sns: {
      Type: 'Notification',
      MessageId: messageId,
      TopicArn: 'arn:aws:sns:us-east-1:123456789012:sns-lambda',
      Subject: 'TestInvoke',
      Message: message,
      Timestamp: '2019-01-02T12:45:07.000Z',
      MessageAttributes: attributes,
    },
  };
}

export const snsEvent = (...records: SnsRecord[]): SnsEvent => ({ Records: records });

/** A Lambda context whose remaining time counts down from `ms`. */
export function lambdaContext(ms: number) {
  const end = Date.now() + ms;
  return { awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678', getRemainingTimeInMillis: () => Math.max(0, end - Date.now()) };
}
