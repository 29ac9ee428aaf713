// The real OpenTelemetry SDK for specs: an in-memory span exporter and a metric reader collected on
// demand, registered as the globals in before() and taken down in after() so other specs see none.
import { context, metrics, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { MeterProvider, MetricReader, type DataPoint, type MetricData } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';

class TestReader extends MetricReader {
  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
}

export interface TestOtel {
  exporter: InMemorySpanExporter;
  spans(name?: string): ReadableSpan[];
  /** Every data point of a metric, as collected now. */
  points(metric: string): Promise<DataPoint<unknown>[]>;
  metric(metric: string): Promise<MetricData | undefined>;
  uninstall(): Promise<void>;
}

export function installOtel(): TestOtel {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const reader = new TestReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  trace.setGlobalTracerProvider(provider);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  metrics.setGlobalMeterProvider(meterProvider);
  const metric = async (name: string) => {
    const { resourceMetrics } = await reader.collect();
    return resourceMetrics.scopeMetrics.flatMap((s) => s.metrics).find((m) => m.descriptor.name === name);
  };
  return {
    exporter,
    spans: (name) => exporter.getFinishedSpans().filter((s) => name === undefined || s.name === name),
    metric,
    points: async (name) => ((await metric(name))?.dataPoints ?? []) as DataPoint<unknown>[],
    async uninstall() {
      trace.disable();
      propagation.disable();
      metrics.disable();
      context.disable();
      contextManager.disable();
      await provider.shutdown();
      await meterProvider.shutdown();
    },
  };
}

/** The span's parent span id (SDK 2.x keeps it in parentSpanContext). */
export function parentOf(span: ReadableSpan): string | undefined {
  return span.parentSpanContext?.spanId;
}
