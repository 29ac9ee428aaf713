import { SetSubscriptionAttributesCommand } from '@aws-sdk/client-sns';
import { filterPolicyFor, type FilterPolicyResult } from '../../filter/policy.js';
import { lambdaFilterCriteriaFor } from '../../filter/lambda.js';
import type { Scope } from '../../filter/branches.js';
import { AWS_OPTIONS, awsFailure, awsSettings, snsClient } from '../aws.js';
import type { Command } from '../command.js';
import { booleanOption, stringOption } from '../command.js';
import { CliFailure, UsageError } from '../errors.js';
import { loadSubscribers } from '../subscriber-module.js';

const SCOPES: Record<string, Scope> = { attributes: 'MessageAttributes', body: 'MessageBody' };

export const filterPolicyCommand: Command = {
  name: 'filter-policy',
  summary: 'Derive the SNS filter policy (or Lambda FilterCriteria) from a module\'s subscribers.',
  usage: ['--subscribers <module> [--scope attributes|body] [--lambda] [--apply --subscription-arn ARN]'],
  description: `Prints the subscription filter policy that lets through every message one of the
subscribers wants (never fewer), what was widened and why, and what it requires of the publishers.
--apply sets FilterPolicy and FilterPolicyScope on the subscription (SetSubscriptionAttributes).
See docs/filter-policies.md.`,
  options: {
    subscribers: { type: 'string', description: 'module exporting the subscribers' },
    scope: { type: 'string', description: 'attributes (default: the mega.* routing attributes) or body (JSON bodies)' },
    lambda: { type: 'boolean', description: 'print the Lambda event source mapping FilterCriteria instead' },
    apply: { type: 'boolean', description: 'set the policy on --subscription-arn' },
    'subscription-arn': { type: 'string', description: 'the SNS subscription to set the policy on' },
    json: { type: 'boolean', description: 'print the whole result as one JSON object' },
    ...AWS_OPTIONS,
  },
  examples: [
    'sqs-mega filter-policy --subscribers ./dist/subscribers.js',
    'sqs-mega filter-policy --subscribers ./dist/subscribers.js --scope body --apply --subscription-arn arn:aws:sns:...',
  ],
  async run(args, io) {
    const modulePath = stringOption(args, 'subscribers');
    if (modulePath === undefined) throw new UsageError('--subscribers <module> is required');
    const scope = SCOPES[stringOption(args, 'scope') ?? 'attributes'];
    if (scope === undefined) throw new UsageError('--scope must be attributes or body');
    const lambda = booleanOption(args, 'lambda');
    const arn = stringOption(args, 'subscription-arn');
    if (booleanOption(args, 'apply') && (arn === undefined || lambda)) throw new UsageError('--apply needs --subscription-arn (and not --lambda)');
    const subscribers = await loadSubscribers(modulePath);
    let result: FilterPolicyResult | ReturnType<typeof lambdaFilterCriteriaFor>;
    try {
      result = lambda ? lambdaFilterCriteriaFor(subscribers, { scope }) : filterPolicyFor(subscribers, { scope });
    } catch (error) {
      throw new CliFailure(`cannot derive a policy from ${modulePath}: ${(error as Error).message}`, { cause: error });
    }
    if (booleanOption(args, 'json')) io.stdout.write(JSON.stringify(result) + '\n');
    else io.stdout.write(render(result, lambda));
    if (booleanOption(args, 'apply') && arn !== undefined) {
      const client = snsClient(awsSettings(args, io.env));
      // An empty policy means no filtering: SNS takes "{}" as "deliver everything".
      const attributes = [['FilterPolicyScope', scope], ['FilterPolicy', JSON.stringify(result.policy)]];
      try {
        for (const [AttributeName, AttributeValue] of attributes) {
          await client.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: arn, AttributeName, AttributeValue }));
        }
      } catch (error) {
        throw awsFailure(error, `SetSubscriptionAttributes on ${arn}`);
      }
      io.stderr.write(`applied to ${arn}\n`);
    }
    return 0;
  },
};

function render(result: { policy: object; scope: string; exact: boolean; widened: { subscriber?: string; field: string; reason: string }[]; requires: string[] }, lambda: boolean): string {
  const lines = [`${lambda ? 'FilterCriteria' : 'FilterPolicy'} (${result.scope}${Object.keys(result.policy).length === 0 ? ', no filtering' : ''}, ${result.exact ? 'exact' : 'wider than the subscribers'}):`];
  lines.push(JSON.stringify(result.policy, null, 2));
  if (result.widened.length > 0) {
    lines.push('', 'widened:');
    for (const w of result.widened) lines.push(`  ${w.subscriber === undefined ? '' : `${w.subscriber}.`}${w.field}: ${w.reason}`);
  }
  if (result.requires.length > 0) lines.push('', 'requires:', ...result.requires.map((r) => `  ${r}`));
  return lines.join('\n') + '\n';
}
