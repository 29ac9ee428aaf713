import { ChangeMessageVisibilityBatchCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import { timeoutOptions } from '../aws/request-timeout.js';

/**
 * Makes received messages visible again at once (visibility 0), for messages the listener took but
 * will not process because it is stopping. Returns the ids SQS did not release; those come back
 * anyway when their visibility timeout runs out, so nothing is lost either way.
 */
export async function releaseMessages(client: SQSClient, queueUrl: string, messages: readonly Message[]): Promise<string[]> {
  const withHandles = messages.filter((m): m is Message & { ReceiptHandle: string } => m.ReceiptHandle !== undefined);
  const notReleased: string[] = [];
  for (let i = 0; i < withHandles.length; i += 10) {
    const batch = withHandles.slice(i, i + 10);
    try {
      const response = await client.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: queueUrl,
          Entries: batch.map((m, index) => ({ Id: String(index), ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0 })),
        }),
        timeoutOptions(),
      );
      for (const failed of response.Failed ?? []) notReleased.push(batch[Number(failed.Id)]?.MessageId ?? '(unknown)');
    } catch {
      notReleased.push(...batch.map((m) => m.MessageId ?? '(unknown)'));
    }
  }
  return notReleased;
}
