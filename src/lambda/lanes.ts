/**
 * Runs records with at most `concurrency` at once. Records of one FIFO message group form a lane and
 * run in order, one at a time; after one fails, the rest of its lane is not run and counts as failed
 * (`run` returns false), so the group's order holds on redelivery. Other records and groups go on.
 * Resolves with the records that did not succeed: those that failed and those left unrun after them.
 */
export async function inLanes<R>(
  records: readonly R[],
  concurrency: number,
  groupOf: (record: R) => string | undefined,
  run: (record: R) => boolean | Promise<boolean>,
): Promise<Set<R>> {
  // A standard queue's records (no group) each make a lane of their own: no lane is built for them.
  const lanes = groupLanes(records, groupOf);
  const count = lanes?.length ?? records.length;
  const failed = new Set<R>();
  let next = 0;
  const worker = async () => {
    while (next < count) {
      if (lanes === undefined) {
        const record = records[next++] as R;
        const ran = run(record);
        if (!(ran instanceof Promise ? await ran : ran)) failed.add(record);
        continue;
      }
      const lane = lanes[next++] as R[];
      let i = 0;
      for (; i < lane.length; i += 1) {
        const ran = run(lane[i] as R);
        // A record settled at once is not awaited: no turn of the event loop per record.
        if (!(ran instanceof Promise ? await ran : ran)) break;
      }
      for (; i < lane.length; i += 1) failed.add(lane[i] as R);
    }
  };
  // A worker runs on until its first record that must wait, so the next one starts only then: records
  // settled at once take one worker between them, and at most `concurrency` records wait at a time.
  const workers: Promise<void>[] = [];
  while (workers.length < concurrency && next < count) workers.push(worker());
  await Promise.all(workers);
  return failed;
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
