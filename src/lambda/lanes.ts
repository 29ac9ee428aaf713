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
  run: (record: R) => Promise<boolean>,
): Promise<Set<R>> {
  const lanes: R[][] = [];
  const byGroup = new Map<string, R[]>();
  for (const record of records) {
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
  const failed = new Set<R>();
  let next = 0;
  const worker = async () => {
    while (next < lanes.length) {
      const lane = lanes[next++] as R[];
      let i = 0;
      while (i < lane.length && (await run(lane[i] as R))) i += 1;
      for (; i < lane.length; i += 1) failed.add(lane[i] as R);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, lanes.length) }, worker));
  return failed;
}
