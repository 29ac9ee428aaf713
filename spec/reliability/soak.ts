// `npm run soak`: the accounting scenario at full size (10,000 messages, 3 listener processes, retriable
// failures, throttling/5xx, one SIGKILL), then the black-hole scenario (every request swallowed for
// 25 s) and a stop() during an outage, against fauxqs in its own process. Writes the figures to
// spec/reliability/results.json ("soak", "blackhole", "stop-outage", and "stall"/"stall-timeout", which
// measure hanging handlers); exits non-zero if a message was lost.
import { clientsFor, startServerProcess } from '../support/fauxqs.js';
import { runAccounting } from './accounting.js';
import { runBlackHole } from './blackhole.js';
import { runStall } from './stall.js';
import { runStopDuringOutage } from './stop-outage.js';
import { recordFigures } from './support.js';

process.env.RECORD_RELIABILITY = '1';
const n = Number(process.env.SOAK_MESSAGES ?? 10_000);
const fauxqs = await startServerProcess();
const server = clientsFor(fauxqs.endpoint);
let failed: boolean;
try {
  const result = await runAccounting(server, {
    n,
    listeners: 3,
    failRate: 0.1,
    faultRate: 0.05,
    timeoutMs: 10 * 60_000,
    log: (line) => console.log(`[soak] ${line}`),
  });
  recordFigures('soak', result);
  console.log(JSON.stringify(result, null, 2));
  const blackHole = await runBlackHole(server, { log: (line) => console.log(`[soak] ${line}`) });
  recordFigures('blackhole', blackHole);
  console.log(JSON.stringify(blackHole, null, 2));
  const stopOutage = await runStopDuringOutage(server, { log: (line) => console.log(`[soak] ${line}`) });
  recordFigures('stop-outage', stopOutage);
  console.log(JSON.stringify(stopOutage, null, 2));
  const stall = await runStall(server);
  recordFigures('stall', stall);
  const stallTimeout = await runStall(server, { timeoutSeconds: 2 });
  recordFigures('stall-timeout', stallTimeout);
  console.log(JSON.stringify([stall, stallTimeout], null, 2));
  failed = result.lost > 0 || result.processed !== n || blackHole.lost !== 0 || stopOutage.lost !== 0;
} catch (error) {
  console.error('[soak] failed:', error);
  failed = true;
} finally {
  server.sqs.destroy();
  server.sns.destroy();
  await fauxqs.stop();
}
process.exit(failed ? 1 : 0);
