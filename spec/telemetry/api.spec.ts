import * as api from '@opentelemetry/api';
import { expect } from 'chai';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { sdkRegistered } from '../../src/telemetry/api.js';

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
