// Message bodies used across the benchmarks: the MEGA wire format written out by hand, so the
// fixtures do not depend on the encoder under test.

/** A MEGA v1 event of roughly `targetBytes` bytes of JSON (padding goes into object.current). */
export function megaWireObject(i: number, targetBytes = 600): Record<string, unknown> {
  const base = {
    protocol: 'mega',
    version: 1,
    event: {
      name: 'order.placed',
      timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, 0, i % 1000)).toISOString(),
      version: 1,
      domain: 'shop',
      subject: `order-${i}`,
      publisher: 'bench',
      attributes: { order_id: i, customer: `c-${i % 97}`, total: (i % 500) + 0.5, express: i % 3 === 0 },
    },
    object: {
      type: 'order',
      id: `order-${i}`,
      version: 1,
      current: { status: 'placed', lines: [{ sku: 'A-1', qty: 2 }, { sku: 'B-7', qty: 1 }], note: '' },
    },
    extra: { channel: 'web' },
  };
  const size = JSON.stringify(base).length;
  if (size < targetBytes) base.object.current.note = 'x'.repeat(targetBytes - size);
  return base;
}

export function megaBody(i: number, targetBytes = 600): string {
  return JSON.stringify(megaWireObject(i, targetBytes));
}
