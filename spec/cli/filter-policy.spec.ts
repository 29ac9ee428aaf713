import { expect } from 'chai';
import { CreateTopicCommand, GetSubscriptionAttributesCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { startTestServer } from '../support/fauxqs.js';
import { cleanEnv, runChild } from './run.js';

const MODULE = 'spec/cli/fixtures/event-subscribers.ts';

describe('cli: filter-policy', () => {
  it('prints the attribute policy, with the legacy branch and what it requires', async () => {
    const run = await runChild(['filter-policy', '--subscribers', MODULE, '--json']);
    expect(run.code, run.stderr).to.equal(0);
    const result = JSON.parse(run.stdout) as { policy: unknown; exact: boolean; requires: string[] };
    expect(result.policy).to.deep.equal({
      $or: [
        { 'mega.name': ['item.added', 'item.removed'], 'mega.domain': ['shopping_cart'] },
        { 'mega.name': ['payment.captured'], 'mega.version': [{ numeric: ['=', 2] }] },
        { 'mega.name': [{ exists: false }] },
      ],
    });
    expect(result.exact).to.equal(true);
    expect(result.requires[0]).to.match(/at least one message attribute/);
  });

  it('prints the widened fields of the demo and the Lambda criteria', async () => {
    const run = await runChild(['filter-policy', '--subscribers', 'src/cli/demo/subscribers.ts', '--scope', 'body', '--lambda']);
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.contain('FilterCriteria (MessageBody, no filtering');
    expect(run.stdout).to.contain('Ping wants plaintext messages');
  });

  it('applies FilterPolicy and FilterPolicyScope to a subscription', async () => {
    const server = await startTestServer();
    const topic = await server.sns.send(new CreateTopicCommand({ Name: `cli-filter-${process.pid}` }));
    const queueUrl = await server.createQueue({ name: 'cli-filter' });
    const sub = await server.sns.send(new SubscribeCommand({ TopicArn: topic.TopicArn, Protocol: 'sqs', Endpoint: await server.queueArn(queueUrl) }));
    const arn = sub.SubscriptionArn ?? '';
    const run = await runChild(['filter-policy', '--subscribers', MODULE, '--scope', 'body', '--apply', '--subscription-arn', arn, '--endpoint', server.endpoint, '--region', 'us-east-1'], {
      env: cleanEnv({ AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' }),
    });
    expect(run.code, run.stderr).to.equal(0);
    const attrs = await server.sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: arn }));
    expect(attrs.Attributes?.FilterPolicyScope).to.equal('MessageBody');
    expect(JSON.parse(attrs.Attributes?.FilterPolicy ?? '{}')).to.have.property('$or');
  });

  it('usage errors exit 2', async () => {
    expect((await runChild(['filter-policy'])).code).to.equal(2);
    expect((await runChild(['filter-policy', '--subscribers', MODULE, '--scope', 'x'])).code).to.equal(2);
    expect((await runChild(['filter-policy', '--subscribers', MODULE, '--apply'])).code).to.equal(2);
  });
});
