// Fills the figures tables of docs/reliability.md from spec/reliability/results.json (written by the
// reliability specs and `npm run soak`): `node --import tsx spec/reliability/report.ts`.
// Replaces what lies between the <!-- figures:start --> and <!-- figures:end --> markers.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { RESULTS_FILE } from './support.js';

type Row = Record<string, number | string | boolean | undefined>;
const DOC = fileURLToPath(new URL('../../docs/reliability.md', import.meta.url));
const FAUXQS = (JSON.parse(readFileSync(fileURLToPath(new URL('../../node_modules/fauxqs/package.json', import.meta.url)), 'utf8')) as { version: string }).version;
const results = JSON.parse(readFileSync(RESULTS_FILE, 'utf8')) as Record<string, Row>;

const n = (value: unknown) => (typeof value === 'number' ? value.toLocaleString('en-US') : String(value ?? '-'));
const many = (count: unknown, word: string) => `${n(count)} ${word}${count === 1 ? '' : 's'}`;

/** What each delivery scenario did to the listener, in words built from its own figures. */
const SCENARIOS: [key: string, title: string, faults: (r: Row) => string][] = [
  ['outage', 'Outage mid-drain', (r) => `SQS unreachable for ${n(Number(r.outageMs) / 1000)} s: ${n(r.attemptsDuringOutage)} connection attempts refused (${n(r.attemptsPerSecondDuringOutage)}/s, no spinning)`],
  ['throttling-5xx', 'Throttling and 5xx', (r) => `${n(r.faultsInjected)} of ${n(r.requests)} requests (${n(Math.round(Number(r.faultShare) * 100))}%): ${n(r.throttle)} throttled, ${n(r['server-error'])} HTTP 503; SDK retries off; ${n(r.listenerErrorEvents)} errors reached the listener`],
  ['network-faults', 'Broken connections', (r) => `${n(r.faultsInjected)} of ${n(r.requests)} requests: ${n(r.refuse)} reset, ${n(r.cut)} cut mid-response, ${n(r.delay)} held past the ${n(Number(r.clientTimeoutMs) / 1000)} s client timeout`],
  ['crash', 'SIGKILL mid-batch', (r) => `listener process killed with ${many(r.unfinishedAtCrash ?? r.unfinishedAtKill, 'message')} unfinished; a new one took over ${n(Math.round(Number(r.firstRedeliveryAfterKillMs) / 100) / 10)} s later (visibility ${n(r.visibilityTimeoutSeconds)} s)`],
  ['sigterm', 'SIGTERM under load', (r) => `SIGTERM with ${many(r.inFlightAtSignal, 'handler')} running: all finished and deleted, exit in ${n(Math.round(Number(r.stopMs) / 100) / 10)} s; ${n(r.leftVisible)} left visible, ${n(r.leftHiddenByAbortedReceive)} still hidden after the stop`],
  ['sigterm-arriving', 'SIGTERM, messages arriving', (r) => `SIGTERM while a producer kept sending: ${n(r.leftVisible)} left visible, ${n(r.leftHiddenByAbortedReceive)} still hidden after the stop`],
  ['blackhole', 'Black hole (npm run soak)', (r) => `every request swallowed without an answer for ${n(Number(r.holdMs) / 1000)} s (${n(r.requestsSwallowed)} requests): processing resumed ${n(Math.round(Number(r.resumedAfterMs) / 100) / 10)} s after the network came back`],
  ['stop-outage', 'stop() during an outage (npm run soak)', (r) => `SQS unreachable, then stop() at once: it resolved after ${n(Math.round(Number(r.stopMs) / 100) / 10)} s (deletes retried, then given up); ${n(r.backOnQueue)} messages back on the queue`],
  ['poison', 'Poison messages', (r) => `4 always-throwing, 3 always-retrying, 2 hanging among 300: good ones drained in ${n(Math.round(Number(r.goodDrainedInMs) / 100) / 10)} s; ${n(r.thrownToDeadLetter)} + ${n(r.retriedToDeadLetter)} in the dead-letter queue (retry waits ${String(r.retryGapsMs ?? '').split(' ').slice(0, 2).join(', ')} ms); ${n(r.hangersLeftForRedelivery)} hanging left for redelivery`],
  ['fifo', 'FIFO order', (r) => `${n(r.groups)} message groups, ${n(r.retriableFailures)} retriable subscriber failures, ${n(r.proxyFaults)} throttled requests: ${n(r.outOfOrder)} completions out of group order`],
  ['publish', 'Publishing (publishBatch)', (r) => `${n(r.faultsInjected)} of ${n(r.requests)} requests throttled, 5xx, reset or cut after storing; SDK retries off: ${n(r.reportedFailed)} payloads reported failed (${n(r.storedDespiteFailure)} of them stored anyway, their response lost), none silently dropped`],
  ['accounting', 'Accounting (npm test)', (r) => `${n(r.listeners)} listener processes, ${n(r.retriableFailures)} retriable subscriber failures, ${n(r.proxyFaults)} throttled/5xx requests, 1 SIGKILL`],
  ['idempotency', 'Accounting with a Redis idempotency store', (r) => `every payload published twice, keyed by payload hash; ${n(r.listeners)} listener processes, 1 SIGKILL: ${n(r.duplicatesSkipped)} duplicate deliveries skipped, ${n(r.unexplainedDuplicates)} run twice unexplained`],
  ['idempotency-redis-restart', 'The same, Redis killed and restarted empty', (r) => `every payload published twice; Redis killed for 500 ms and restarted empty at 60%: ${n(r.duplicatesSkipped)} skipped, ${n(r.storeRestartDuplicates)} run twice because their keys were lost with Redis, ${n(r.unexplainedDuplicates)} unexplained`],
  ['soak', 'Accounting (npm run soak)', (r) => `${n(r.listeners)} listener processes, ${n(r.retriableFailures)} retriable subscriber failures, ${n(r.proxyFaults)} throttled/5xx requests, 1 SIGKILL, ${n(Math.round(Number(r.durationMs) / 1000))} s`],
];

function deliveryTable(): string {
  const lines = [
    '| Scenario | Faults injected | Sent | Processed | Duplicated | Lost |',
    '|---|---|---:|---:|---:|---:|',
  ];
  for (const [key, title, faults] of SCENARIOS) {
    const r = results[key];
    if (!r) continue;
    lines.push(`| ${title} | ${faults(r)} | ${n(r.messagesSent)} | ${n(r.processed)} | ${n(r.duplicates)} | ${n(r.lost)} |`);
  }
  return lines.join('\n');
}

function hostileTable(): string {
  const lines = ['| Property | Measured |', '|---|---|'];
  const d = results['hostile-decode'];
  if (d) lines.push(`| \`decodeBody\` grows linearly | ${n(d.shapes)} adversarial shapes at ${n(d.sizeRatio)}x the size took at most ${n(d.worstTimeRatio)}x the time (quadratic would be ${n(Number(d.sizeRatio) ** 2)}x) |`);
  const g = results['hostile-decode-generated'];
  if (g) lines.push(`| \`decodeBody\` grows linearly (generated) | ${n(g.generatedBodies)} generated bodies (repeated arbitrary units, base64 bytes, mutated BSON) at ${n(g.sizeRatio)}x the size took at most ${n(g.worstTimeRatio)}x the time |`);
  const x = results['hostile-regex'];
  if (x) lines.push(`| ReDoS refused at registration | ${n(x.evilRefused)} textbook expressions refused; of ${n(x.generated)} generated ones ${n(x.refused)} refused, the ${n(x.accepted)} accepted grew at most ${n(x.worstTimeRatioAt2x)}x on twice the input |`);
  const h = results['hostile-listener'];
  if (h) lines.push(`| Hostile bodies through the listener | ${n(h.messagesSent)} generated bodies on a real queue: ${n(h.processed)} handled, ${n(h.deadLettered)} dead-lettered as invalid, ${n(h.errors)} errors, ${n(h.lost)} left behind |`);
  for (const key of ['stall', 'stall-timeout']) {
    const st = results[key];
    if (st) lines.push(`| Hanging handlers, handlerTimeoutSeconds ${n(st.handlerTimeoutSeconds)} (npm run soak) | ${n(st.hangingHandlers)} handlers that never return, with maxInFlight ${n(st.maxInFlight)}: ${n(st.processedWhileStalled)} of ${n(st.otherMessages)} other messages processed in ${n(Number(st.waitedMs) / 1000)} s |`);
  }
  const l = results['hostile-logs'];
  if (l) lines.push(`| Logs: no credentials, bounded bodies | ${n(l.logLines)} log calls under ${n(l.faultsInjected)} faults, bodies up to ${n(l.largestBody)} characters: longest line ${n(l.longestLogLine)} characters, credentials found ${n(l.credentialsFound)} |`);
  return lines.join('\n');
}

const recorded = Object.values(results)
  .map((r) => String(r.recordedAt ?? ''))
  .filter(Boolean)
  .sort();
const stamp = `Recorded ${recorded[0]?.slice(0, 16).replace('T', ' ')} to ${recorded.at(-1)?.slice(0, 16).replace('T', ' ')} UTC on Node ${String(Object.values(results)[0]?.node ?? '')}, fauxqs ${FAUXQS}, from \`spec/reliability/results.json\`.`;
const block = `<!-- figures:start -->\n${deliveryTable()}\n\n${hostileTable()}\n\n${stamp}\n<!-- figures:end -->`;
const doc = readFileSync(DOC, 'utf8');
const updated = doc.replace(/<!-- figures:start -->[\s\S]*<!-- figures:end -->/, block);
if (updated === doc && !doc.includes(block)) throw new Error(`no figures markers in ${DOC}`);
writeFileSync(DOC, updated);
console.log(block);
