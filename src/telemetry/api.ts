import type * as OtelApi from '@opentelemetry/api';

/** The OpenTelemetry API module, when the application has it installed. */
export type Otel = typeof OtelApi;

// A variable specifier: bundlers leave the import to run time instead of failing on an optional
// package, and the application's own copy (the one its SDK registered with) is the one found.
const API_MODULE = '@opentelemetry/api';

let resolved: Otel | null | undefined;
let loading: Promise<Otel | null> | undefined;

/**
 * Starts resolving `@opentelemetry/api` once per process (no top-level await in a library): call it
 * where a consumer or publisher is created. Without the package it settles on null and nothing else
 * is ever tried.
 */
export function loadOtel(): Promise<Otel | null> {
  loading ??= import(API_MODULE).then(
    (api: Otel) => (resolved = typeof api.trace?.getTracer === 'function' ? api : null),
    () => (resolved = null),
  );
  return loading;
}

/** The API once resolved: the module, null when absent, undefined while still loading. */
export function otel(): Otel | null | undefined {
  return resolved;
}


/** Settles the API as given (null: as if not installed). For benchmarks and specs only. */
export function useOtel(api: Otel | null): void {
  resolved = api;
  loading = Promise.resolve(api);
}

// Where every copy of the 1.x API keeps what was registered (internal/global-utils.js): `trace` and
// `metrics` are set only by setGlobalTracerProvider / setGlobalMeterProvider and deleted by disable().
const GLOBAL_KEY = Symbol.for('opentelemetry.js.api.1');
type Registered = { trace?: unknown; metrics?: unknown } | undefined;

/**
 * Whether an SDK is registered (a tracer or a meter provider): without one, messages skip the
 * trace entirely instead of paying for the API's no-op spans and contexts. Two property reads,
 * because it runs for every message; a provider registered later is seen by the next message.
 */
export function sdkRegistered(): boolean {
  const registered = (globalThis as Record<symbol, Registered>)[GLOBAL_KEY];
  return registered !== undefined && (registered.trace !== undefined || registered.metrics !== undefined);
}
