import * as api from '@opentelemetry/api';
import { expect } from 'chai';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import sinon from 'sinon';
import { loadOtel, sdkRegistered } from '../../src/telemetry/api.js';
import { traceBatch, traceSend } from '../../src/telemetry/publish-trace.js';

describe('sdkRegistered', () => {
  afterEach(() => {
    api.trace.disable();
    api.metrics.disable();
  });

  it('is false with nothing registered, and sees a tracer or a meter provider registered later and its removal', () => {
    api.trace.disable();
    api.metrics.disable();
    expect(sdkRegistered()).to.equal(false);
    api.trace.setGlobalTracerProvider(new BasicTracerProvider());
    expect(sdkRegistered()).to.equal(true);
    api.trace.disable();
    expect(sdkRegistered()).to.equal(false);
    api.metrics.setGlobalMeterProvider(new MeterProvider());
    expect(sdkRegistered()).to.equal(true);
    api.metrics.disable();
    expect(sdkRegistered()).to.equal(false);
  });

  it('is false when only a propagator or context manager is registered (no spans or metrics to make)', () => {
    api.propagation.setGlobalPropagator({ inject() {}, extract: (c: api.Context) => c, fields: () => [] });
    expect(sdkRegistered()).to.equal(false);
    api.propagation.disable();
  });
});

describe('publish tracing with no SDK registered', () => {
  afterEach(() => sinon.restore());

  it('asks the API for no tracer: a publish and a batch only send', async () => {
    expect(await loadOtel()).to.not.equal(null);
    const getTracer = sinon.spy(api.trace, 'getTracer');
    const target = 'https://sqs.us-east-1.amazonaws.com/123456789012/q';
    const message = { attributes: undefined, bytes: 10 };
    const sent = await traceSend(target, message, { maxBytes: 1024, xray: true }, () => Promise.resolve({ messageId: 'm-1' }));
    const batch = await traceBatch(target, 1, { maxBytes: 1024, xray: true });
    const next = batch.messages(() => ({ index: 0, attributes: undefined, bytes: 10 }));
    expect(sent.messageId).to.equal('m-1');
    expect(next()?.attributes).to.equal(undefined);
    expect(message.attributes).to.equal(undefined);
    expect(getTracer.called).to.equal(false);
  });
});
