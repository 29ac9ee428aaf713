import { CreateTopicCommand, DeleteTopicCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import type { SNSClient } from '@aws-sdk/client-sns';
import { CreateQueueCommand, DeleteQueueCommand, GetQueueAttributesCommand, SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import type { SQSClient } from '@aws-sdk/client-sqs';

export interface DemoResources {
  queueUrl: string;
  deadLetterQueueUrl: string;
  eventsTopicArn: string;
  dataTopicArn: string;
}

/**
 * Creates the demo's queue (with a dead-letter queue for the listener to copy failures to), a topic
 * delivering to it in SNS envelopes and one with raw delivery. Names carry a random suffix so runs
 * never collide; the queue policy lets exactly these topics send to the queue, as AWS requires.
 */
export async function createDemoResources(sqs: SQSClient, sns: SNSClient, suffix: string): Promise<DemoResources> {
  const queueUrl = await createQueue(sqs, `sqs-mega-demo-${suffix}`);
  const deadLetterQueueUrl = await createQueue(sqs, `sqs-mega-demo-dlq-${suffix}`);
  const eventsTopicArn = await createTopic(sns, `sqs-mega-demo-events-${suffix}`);
  const dataTopicArn = await createTopic(sns, `sqs-mega-demo-data-${suffix}`);
  const attributes = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
  const queueArn = attributes.Attributes?.QueueArn;
  if (queueArn === undefined) throw new Error(`no QueueArn for ${queueUrl}`);
  const policy = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: 'sns.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: queueArn,
        Condition: { ArnEquals: { 'aws:SourceArn': [eventsTopicArn, dataTopicArn] } },
      },
    ],
  };
  await sqs.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { Policy: JSON.stringify(policy) } }));
  await subscribe(sns, eventsTopicArn, queueArn, false);
  await subscribe(sns, dataTopicArn, queueArn, true);
  return { queueUrl, deadLetterQueueUrl, eventsTopicArn, dataTopicArn };
}

/** Deletes what `createDemoResources` made (needed on a real account, harmless on a local server). */
export async function deleteDemoResources(sqs: SQSClient, sns: SNSClient, r: DemoResources): Promise<void> {
  await Promise.allSettled([
    sqs.send(new DeleteQueueCommand({ QueueUrl: r.queueUrl })),
    sqs.send(new DeleteQueueCommand({ QueueUrl: r.deadLetterQueueUrl })),
    sns.send(new DeleteTopicCommand({ TopicArn: r.eventsTopicArn })),
    sns.send(new DeleteTopicCommand({ TopicArn: r.dataTopicArn })),
  ]);
}

async function createQueue(sqs: SQSClient, name: string): Promise<string> {
  const out = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  if (out.QueueUrl === undefined) throw new Error(`CreateQueue ${name} returned no URL`);
  return out.QueueUrl;
}

async function createTopic(sns: SNSClient, name: string): Promise<string> {
  const out = await sns.send(new CreateTopicCommand({ Name: name }));
  if (out.TopicArn === undefined) throw new Error(`CreateTopic ${name} returned no ARN`);
  return out.TopicArn;
}

async function subscribe(sns: SNSClient, topicArn: string, queueArn: string, raw: boolean): Promise<void> {
  await sns.send(
    new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queueArn, Attributes: { RawMessageDelivery: String(raw) } }),
  );
}
