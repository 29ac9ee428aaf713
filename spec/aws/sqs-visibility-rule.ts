import { SQSServiceException } from '@aws-sdk/client-sqs';

const MAX_SECONDS = 43_200;

interface VisibilityEntry {
  Id: string;
  ReceiptHandle: string;
  VisibilityTimeout: number;
}

/**
 * Responders for `fakeSqs` that enforce SQS's documented 12-hour rule, which fauxqs does not: a
 * visibility timeout that would keep a receive hidden past 12 h from that receive is refused (not
 * shortened) with InvalidParameterValue. `received` records when a receipt handle was handed out.
 */
export function twelveHourRule(now: () => number = Date.now) {
  const receivedAt = new Map<string, number>();
  const refusal = (handle: string, timeout: number): string | undefined => {
    const at = receivedAt.get(handle);
    if (at === undefined || (now() - at) / 1000 + timeout <= MAX_SECONDS) return undefined;
    return `Value ${timeout} for parameter VisibilityTimeout is invalid. Reason: Total VisibilityTimeout for the message is beyond the limit [${MAX_SECONDS} seconds]`;
  };
  const refused: number[] = [];
  const accepted: number[] = [];
  return {
    refused,
    accepted,
    received(handle: string, at: number) {
      receivedAt.set(handle, at);
    },
    responders: {
      ChangeMessageVisibilityCommand: (input: { ReceiptHandle: string; VisibilityTimeout: number }) => {
        const message = refusal(input.ReceiptHandle, input.VisibilityTimeout);
        if (message === undefined) {
          accepted.push(input.VisibilityTimeout);
          return {};
        }
        refused.push(input.VisibilityTimeout);
        throw new SQSServiceException({ name: 'InvalidParameterValue', $fault: 'client', $metadata: { httpStatusCode: 400 }, message });
      },
      ChangeMessageVisibilityBatchCommand: (input: { Entries: VisibilityEntry[] }) => {
        const Successful: { Id: string }[] = [];
        const Failed: { Id: string; Code: string; SenderFault: boolean; Message: string }[] = [];
        for (const entry of input.Entries) {
          const message = refusal(entry.ReceiptHandle, entry.VisibilityTimeout);
          (message === undefined ? accepted : refused).push(entry.VisibilityTimeout);
          if (message === undefined) Successful.push({ Id: entry.Id });
          else Failed.push({ Id: entry.Id, Code: 'InvalidParameterValue', SenderFault: true, Message: message });
        }
        return { Successful, Failed };
      },
    },
  };
}
