import { expect } from 'chai';
import { formatPointer, readPointer } from '../../src/large-payloads/pointer.js';
import { resolveConsumeLargePayloads, resolvePublishLargePayloads } from '../../src/large-payloads/options.js';
import { LargePayloadConfigError } from '../../src/large-payloads/errors.js';

describe('large-payload pointer (AWS Extended Client format)', () => {
  it('writes exactly what Jackson writes for PayloadS3Pointer: [class, {s3BucketName, s3Key}], compact', () => {
    expect(formatPointer({ bucket: 'my-bucket', key: 'p/0f8fad5b-d9cb-469f-a165-70867728950e' })).to.equal(
      '["software.amazon.payloadoffloading.PayloadS3Pointer",{"s3BucketName":"my-bucket","s3Key":"p/0f8fad5b-d9cb-469f-a165-70867728950e"}]',
    );
  });

  it('reads the current and legacy class names, with any spacing; leaves other bodies alone', () => {
    expect(readPointer('["com.amazon.sqs.javamessaging.MessageS3Pointer",{"s3BucketName":"b","s3Key":"k"}]', false)).to.deep.equal({ kind: 'pointer', pointer: { bucket: 'b', key: 'k' } });
    expect(readPointer('["software.amazon.payloadoffloading.PayloadS3Pointer", {"s3BucketName": "b", "s3Key": "k"}]', true)).to.deep.equal({ kind: 'pointer', pointer: { bucket: 'b', key: 'k' } });
    expect(readPointer('["a", 1]', false).kind).to.equal('none');
    expect(readPointer('{"type":"x"}', false).kind).to.equal('none');
  });

  it('a body marked as offloaded that is no pointer is malformed', () => {
    expect(readPointer('{"type":"x"}', true).kind).to.equal('malformed');
    expect(readPointer('["software.amazon.payloadoffloading.PayloadS3Pointer",{"s3BucketName":"b"}]', false).kind).to.equal('malformed');
    expect(readPointer('["software.amazon.payloadoffloading.PayloadS3Pointer",', false).kind).to.equal('malformed');
  });

  it('validates the options, naming the one that is wrong', () => {
    expect(() => resolvePublishLargePayloads({ bucket: '' }, 1000)).to.throw(LargePayloadConfigError, /largePayloads\.bucket/);
    expect(() => resolvePublishLargePayloads({ bucket: 'b', keyPrefix: '../x' }, 1000)).to.throw(/keyPrefix/);
    expect(() => resolvePublishLargePayloads({ bucket: 'b', threshold: 2000 }, 1000)).to.throw(/threshold/);
    expect(resolvePublishLargePayloads({ bucket: 'b' }, 1000).threshold).to.equal(1000);
    expect(() => resolveConsumeLargePayloads({ maxPayloadBytes: 0 })).to.throw(/maxPayloadBytes/);
    expect(() => resolveConsumeLargePayloads({ allowedBuckets: [] })).to.throw(/allowedBuckets/);
  });
});
