/**
 * Runs records with at most `concurrency` at once. Records of one FIFO message group form a lane and
 * run in order, one at a time; after one fails, the rest of its lane is not run and counts as failed
 * (`run` returns false), so the group's order holds on redelivery. Other records and groups go on.
 * Gives the records that did not succeed (those that failed and those left unrun after them): at
 * once when every record settled at once, else as a promise.
 */
export function inLanes<R>(
  records: readonly R[],
  concurrency: number,
  groupOf: (record: R) => string | undefined,
  run: (record: R) => boolean | Promise<boolean>,
): Set<R> | Promise<Set<R>> {
  // A standard queue's records (no group) each make a lane of their own: no lane is built for them.
  const lanes = groupLanes(records, groupOf);
  const count = lanes?.length ?? records.length;
  const failed = new Set<R>();
  const failRest = (lane: readonly R[], from: number) => {
    for (let i = from; i < lane.length; i += 1) failed.add(lane[i] as R);
  };
  // Each returns a promise only once a record has to wait: records settled at once cost no promise.
  const runOne = (record: R): Promise<void> | undefined => {
    const ran = run(record);
    if (ran instanceof Promise) return ran.then((ok) => void (ok || failed.add(record)));
    if (!ran) failed.add(record);
    return undefined;
  };
  const runLane = (lane: readonly R[], from: number): Promise<void> | undefined => {
    for (let i = from; i < lane.length; i += 1) {
      const ran = run(lane[i] as R);
      if (ran instanceof Promise) return ran.then((ok) => (ok ? runLane(lane, i + 1) : failRest(lane, i)));
      if (!ran) {
        failRest(lane, i);
        break;
      }
    }
    return undefined;
  };
  let next = 0;
  const worker = (): Promise<void> | undefined => {
    while (next < count) {
      const waiting = lanes === undefined ? runOne(records[next++] as R) : runLane(lanes[next++] as R[], 0);
      if (waiting !== undefined) return waiting.then(worker);
    }
    return undefined;
  };
  // A worker runs on until its first record that must wait, so the next one starts only then: records
  // settled at once take one worker between them, and at most `concurrency` records wait at a time.
  const workers: Promise<void>[] = [];
  while (workers.length < concurrency && next < count) {
    const waiting = worker();
    if (waiting !== undefined) workers.push(waiting);
  }
  return workers.length === 0 ? failed : Promise.all(workers).then(() => failed);
}

/** The lanes of a batch with FIFO records, in order of each group's first record; undefined when none has a group. */
function groupLanes<R>(records: readonly R[], groupOf: (record: R) => string | undefined): R[][] | undefined {
  let first = 0;
  while (first < records.length && typeof groupOf(records[first] as R) !== 'string') first += 1;
  if (first === records.length) return undefined;
  const lanes: R[][] = records.slice(0, first).map((record) => [record]);
  const byGroup = new Map<string, R[]>();
  for (const record of records.slice(first)) {
    const group = groupOf(record);
    if (typeof group !== 'string') {
      lanes.push([record]);
      continue;
    }
    let lane = byGroup.get(group);
    if (!lane) {
      lane = [];
      byGroup.set(group, lane);
      lanes.push(lane);
    }
    lane.push(record);
  }
  return lanes;
}
