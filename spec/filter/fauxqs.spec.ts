// End to end on fauxqs: the publishers' routing attributes, and subscriptions carrying derived
// policies (both scopes) delivering what the subscribers want and dropping the rest.
import { expect } from 'chai';
import { SetSubscriptionAttributesCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { SnsPublisher } from '../../src/publish/publish-sns.js';
import { TooManyAttributesError } from '../../src/publish/publish-errors.js';
import { EventSubscriber } from '../../src/dispatch/event-subscriber.js';
import { filterPolicyFor } from '../../src/filter/exports.js';
import { gte, match, oneOf } from '../../src/match/dsl.js';
import { PayloadBuilder } from '../../src/protocol/builder.js';
import { startTestServer, TEST_CREDENTIALS, TEST_REGION } from '../support/fauxqs.js';

class Added extends EventSubscriber {
  domain = 'shopping_cart';
  name = oneOf('item.added', 'item.updated');
  version = gte(2);
  process(): void {}
}
class Orders extends EventSubscriber {
  name = match('order\\.');
  process(): void {}
}

const event = (name: string, domain: string, version = 1) => new PayloadBuilder().withEvent({ name, domain, version }).build();

async function subscribed(scope: 'MessageAttributes' | 'MessageBody') {
  const server = await startTestServer();
  const topicArn = await server.createTopic('filter');
  const queueUrl = await server.createQueue({ name: 'filter' });
  const out = await server.sns.send(
    new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: await server.queueArn(queueUrl), Attributes: { RawMessageDelivery: 'true' } }),
  );
  const { policy } = filterPolicyFor([Added, Orders], { scope });
  for (const [name, value] of [['FilterPolicy', JSON.stringify(policy)], ['FilterPolicyScope', scope]]) {
    await server.sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: out.SubscriptionArn, AttributeName: name, AttributeValue: value }));
  }
  const publisher = new SnsPublisher({ topicArn, region: TEST_REGION, endpoint: server.endpoint, credentials: TEST_CREDENTIALS });
  return { server, queueUrl, publisher };
}

const PUBLISHED = [
  event('item.added', 'shopping_cart', 2),
  event('item.added', 'shopping_cart', 1),
  event('item.updated', 'shopping_cart', 3),
  event('item.added', 'other', 2),
  event('order.placed', 'orders'),
  event('user.signed_up', 'users'),
];
const WANTED = ['item.added v2', 'item.updated v3', 'order.placed v1'];

describe('filter policies end to end (fauxqs)', () => {
  it('SnsPublisher writes mega.name, mega.domain and mega.version on MEGA payloads only', async () => {
    const server = await startTestServer();
    const topicArn = await server.createTopic('routing');
    const queueUrl = await server.createQueue({ name: 'routing' });
    await server.subscribe(topicArn, queueUrl, { raw: true });
    const publisher = new SnsPublisher({ topicArn, region: TEST_REGION, endpoint: server.endpoint, credentials: TEST_CREDENTIALS });
    await publisher.publish(event('item.added', 'shopping_cart', 2), { messageAttributes: { trace: 't' } });
    await publisher.publish({ some: 'data' });
    const [mega, data] = await server.receiveAll(queueUrl, { min: 2 });
    expect(mega?.MessageAttributes?.['mega.name']?.StringValue).to.equal('item.added');
    expect(mega?.MessageAttributes?.['mega.domain']?.StringValue).to.equal('shopping_cart');
    expect(mega?.MessageAttributes?.['mega.version']).to.include({ DataType: 'Number', StringValue: '2' });
    expect(mega?.MessageAttributes?.trace?.StringValue).to.equal('t');
    expect(data?.MessageAttributes ?? {}).to.deep.equal({});
    const off = new SnsPublisher({ topicArn, region: TEST_REGION, endpoint: server.endpoint, credentials: TEST_CREDENTIALS, routingAttributes: false });
    await off.publish(event('item.added', 'shopping_cart'));
    const [plain] = await server.receiveAll(queueUrl);
    expect(plain?.MessageAttributes ?? {}).to.deep.equal({});
  });

  it('refuses a MEGA payload whose attributes with the routing ones exceed 10, naming the count', async () => {
    const publisher = new SnsPublisher({ topicArn: 'arn:aws:sns:us-east-1:000000000000:t', region: TEST_REGION, endpoint: 'http://127.0.0.1:9', credentials: TEST_CREDENTIALS });
    const eight = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`a${i}`, 'v']));
    const error = await publisher.publish(event('item.added', 'shopping_cart'), { messageAttributes: eight }).then(() => undefined, (e: unknown) => e);
    expect(error).to.be.instanceOf(TooManyAttributesError);
    expect((error as TooManyAttributesError).count).to.equal(11);
    expect((error as Error).message).to.match(/11 message attributes \(8 given \+ 3 MEGA routing attributes\).*routingAttributes: false/);
    const clash = await publisher.publish(event('a', 'b'), { messageAttributes: { 'mega.name': 'x' } }).then(() => undefined, (e: unknown) => e);
    expect((clash as Error).message).to.match(/mega\.name/);
  });

  for (const scope of ['MessageAttributes', 'MessageBody'] as const) {
    it(`a subscription with the derived ${scope} policy delivers exactly the wanted events`, async () => {
      const { server, queueUrl, publisher } = await subscribed(scope);
      for (const p of PUBLISHED) await publisher.publish(p);
      const received = await server.receiveAll(queueUrl, { min: WANTED.length, timeoutMs: 2000 });
      const got = received.map((m) => {
        const e = (JSON.parse(m.Body ?? '{}') as { event: { name: string; version?: number } }).event;
        return `${e.name} v${e.version ?? 1}`;
      });
      expect(got.sort()).to.deep.equal(WANTED);
    });
  }
});
