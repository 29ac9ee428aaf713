// Matching throughput: how fast the Dispatcher finds the subscribers of a message as the number of
// subscribers grows, against a naive linear scan that runs every subscriber's compiled predicates
// (the same compiled patterns, the same evaluation) in registration order.
// Each subscriber names a distinct event plus an attribute condition (`amount: gt(k)`), the shape
// of a real service that listens to many event types. Not a test: run with `npm run bench:match`.
import type { Decoded } from '../src/codec/decoded.js';
import { bindSubscriber, evaluate, type Binding } from '../src/dispatch/binding.js';
import { Dispatcher } from '../src/dispatch/dispatcher.js';
import { EventSubscriber } from '../src/dispatch/event-subscriber.js';
import { gt } from '../src/match/dsl.js';
import { parseMegaPayload } from '../src/protocol/schema.js';
import {
  type BenchOptions,
  type BenchResult,
  type Contender,
  type TargetRow,
  calibrate,
  consume,
  interleave,
  isMain,
  nsPerOp,
  parseOptions,
  printResult,
  targetRow,
} from './harness.js';

const SIZES = [10, 100, 1_000, 10_000] as const;
const MESSAGES = 1_000;
const VS_LINEAR_TARGET = 20;
const VS_SMALL_TARGET = 0.5;

/** `count` distinct subscriber classes: `Sub<i>` wants event `shop.event.<i>` with `amount > i % 50`. */
function dispatcherWith(count: number): Dispatcher {
  const dispatcher = new Dispatcher();
  for (let i = 0; i < count; i++) {
    const Sub = class extends EventSubscriber {
      domain = 'shop';
      name = `shop.event.${i}`;
      attributes = { amount: gt(i % 50) };
      process(): void {}
    };
    Object.defineProperty(Sub, 'name', { value: `Sub${i}` });
    dispatcher.register(Sub);
  }
  return dispatcher;
}

/**
 * A deterministic mix: 70% of messages name a registered event and pass its condition, 15% name
 * one and fail it, 15% name an event nobody registered.
 */
function messagesFor(count: number): Decoded[] {
  let seed = 42;
  const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
  const out: Decoded[] = [];
  for (let m = 0; m < MESSAGES; m++) {
    const i = Math.floor(next() * count);
    const roll = next();
    const name = roll < 0.85 ? `shop.event.${i}` : `shop.unknown.${i}`;
    const amount = roll < 0.7 ? (i % 50) + 1 + Math.floor(next() * 100) : i % 50;
    const payload = parseMegaPayload({
      protocol: 'mega',
      version: 1,
      event: { name, domain: 'shop', timestamp: '2026-01-01T00:00:00Z', attributes: { amount, currency: 'EUR', order: `o-${m}` } },
      object: { type: 'order', id: `o-${m}`, current: { status: 'placed' } },
    });
    out.push({ kind: 'mega', encoding: 'json', payload });
  }
  return out;
}

interface Setup {
  count: number;
  dispatcher: Dispatcher;
  bindings: Binding[];
  messages: Decoded[];
}

function setup(count: number): Setup {
  const dispatcher = dispatcherWith(count);
  const bindings = dispatcher.subscribers.map((s) => bindSubscriber(s));
  const messages = messagesFor(count);
  // Both sides must agree before either is timed.
  for (const m of messages) {
    const viaIndex = dispatcher.match(m);
    const linear = bindings.filter((b) => evaluate(b, m) !== undefined).map((b) => b.subscriber);
    if (viaIndex.length !== linear.length || viaIndex.some((s, k) => s !== linear[k])) {
      throw new Error(`match bench: index and linear scan disagree at ${count} subscribers`);
    }
  }
  return { count, dispatcher, bindings, messages };
}

/** One call = matching one message of the mix (cycling), by the dispatcher. */
function indexed({ dispatcher, messages }: Setup): () => unknown {
  let k = 0;
  return () => dispatcher.match(messages[k++ % messages.length] as Decoded);
}

/** One call = matching one message by testing every subscriber in turn. */
function linear({ bindings, messages }: Setup): () => unknown {
  let k = 0;
  return () => {
    const m = messages[k++ % messages.length] as Decoded;
    const found: Binding[] = [];
    for (const b of bindings) if (evaluate(b, m) !== undefined) found.push(b);
    return found;
  };
}

const perSecond = (ns: number) => 1e9 / ns;

/** The full result (table, targets, figure) for the suite runner. */
export async function matchBenchResult({ quick }: BenchOptions): Promise<BenchResult> {
  const rounds = quick ? 3 : 9;
  const roundMs = quick ? 20 : 60;
  const setups = SIZES.map(setup);
  const contenders: Contender[] = [];
  for (const s of setups) {
    for (const [kind, make] of [['index', indexed], ['linear', linear]] as const) {
      const fn = make(s);
      const iterations = calibrate(fn, roundMs);
      contenders.push({ name: `${kind} ${s.count}`, round: () => perSecond(nsPerOp(fn, iterations)) });
    }
  }
  const r = await interleave(contenders, { warmup: 2, rounds });
  const med = (name: string) => (r[name] as { median: number }).median;
  const rows = SIZES.map((n) => [
    n.toLocaleString('en-US'),
    med(`index ${n}`),
    med(`linear ${n}`),
    med(`index ${n}`) / med(`linear ${n}`),
    med(`index ${n}`) / med('index 10'),
  ]);
  const idx1000 = r['index 1000'] as { median: number; min: number; max: number };
  const targets: TargetRow[] = [
    targetRow({
      name: 'match: 1,000 subscribers, dispatcher vs linear scan',
      value: idx1000.median,
      baseline: med('linear 1000'),
      min: idx1000.min,
      max: idx1000.max,
      goal: 'ratio>=',
      target: VS_LINEAR_TARGET,
      unit: 'msg/s',
    }),
    targetRow({
      name: 'match: dispatcher at 1,000 subscribers vs at 10',
      value: idx1000.median,
      baseline: med('index 10'),
      min: idx1000.min,
      max: idx1000.max,
      goal: 'ratio>=',
      target: VS_SMALL_TARGET,
      unit: 'msg/s',
    }),
  ];
  consume(rows);
  return {
    title: `Subscriber matching (${rounds} rounds, medians; ${MESSAGES} messages: 70% match, 15% fail the attribute, 15% unknown event)`,
    table: { head: ['subscribers', 'dispatcher msg/s', 'linear scan msg/s', 'vs linear', 'vs 10 subscribers'], rows },
    targets,
    figures: [
      {
        kind: 'line',
        file: 'match-throughput.svg',
        title: 'Matching throughput against subscriber count',
        xLabel: 'subscribers',
        yLabel: 'messages/s',
        logX: true,
        logY: true,
        series: (['index', 'linear'] as const).map((kind) => ({
          label: kind === 'index' ? 'Dispatcher (candidate index)' : 'linear scan',
          points: SIZES.map((n) => ({ x: n, y: med(`${kind} ${n}`) })),
        })),
      },
    ],
    notes: [
      'Both sides run the same compiled rules through the same evaluation; the dispatcher first narrows candidates by event name (an exact name hit also skips the name check it makes certain).',
      'Decoding is not timed: the messages are decoded once, up front.',
    ],
  };
}

/** The target rows, for `npm run bench`. */
export async function runMatchBench(opts: { quick: boolean }): Promise<TargetRow[]> {
  return (await matchBenchResult(opts)).targets;
}

if (isMain(import.meta.url)) {
  printResult(await matchBenchResult(parseOptions()));
}
