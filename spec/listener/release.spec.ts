import { expect } from 'chai';
import { releaseMessages } from '../../src/listener/release.js';
import { fakeSqs } from './listener-fakes.js';

const messages = (n: number) => Array.from({ length: n }, (_, i) => ({ MessageId: `m${i}`, ReceiptHandle: `rh${i}` }));

describe('listener/release', () => {
  it('sets visibility 0 in batches of 10 and returns the ids SQS did not release', async () => {
    const sqs = fakeSqs({
      ChangeMessageVisibilityBatchCommand: (input: { Entries: { Id: string; ReceiptHandle: string }[] }) => ({
        Successful: input.Entries.filter((e) => e.ReceiptHandle !== 'rh11').map((e) => ({ Id: e.Id })),
        Failed: input.Entries.filter((e) => e.ReceiptHandle === 'rh11').map((e) => ({ Id: e.Id, SenderFault: true, Code: 'ReceiptHandleIsInvalid' })),
      }),
    });
    expect(await releaseMessages(sqs.client, 'q', [...messages(12), { MessageId: 'no-handle' }])).to.deep.equal(['m11']);
    const calls = sqs.of('ChangeMessageVisibilityBatchCommand');
    expect(calls.map((c) => c.input.Entries.length)).to.deep.equal([10, 2]);
    expect(calls[1]?.input.Entries[1]).to.deep.equal({ Id: '1', ReceiptHandle: 'rh11', VisibilityTimeout: 0 });
  });

  it('counts a whole batch as not released when its call fails', async () => {
    const sqs = fakeSqs({ ChangeMessageVisibilityBatchCommand: () => Promise.reject(new Error('network')) });
    expect(await releaseMessages(sqs.client, 'q', messages(2))).to.deep.equal(['m0', 'm1']);
  });
});
