import { expect } from 'chai';
import { MemoryIdempotencyStore } from '../../src/idempotency/memory-store.js';
import { RedisIdempotencyStore } from '../../src/idempotency/redis-store.js';
import type { IdempotencyStore } from '../../src/idempotency/store.js';
import { startRedis, type TestRedis } from '../support/redis.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The IdempotencyStore contract, against each store. */
function contract(name: string, make: () => IdempotencyStore) {
  describe(`idempotency/${name}: the store contract`, () => {
    let store: IdempotencyStore;
    let n = 0;
    let key: string;
    beforeEach(() => {
      store = make();
      key = `k-${process.pid}-${++n}`;
    });

    it('claims a free key once; a second claim sees it in progress, then completed once completed', async () => {
      expect(await store.claim(key, 'a', 10_000)).to.equal('claimed');
      expect(await store.claim(key, 'b', 10_000)).to.equal('in_progress');
      await store.complete(key, 'a', 10_000);
      expect(await store.claim(key, 'b', 10_000)).to.equal('completed');
    });

    it('lets exactly one of many concurrent claims win', async () => {
      const results = await Promise.all(Array.from({ length: 25 }, (_, i) => store.claim(key, `t${i}`, 10_000)));
      expect(results.filter((r) => r === 'claimed')).to.have.length(1);
      expect(results.filter((r) => r === 'in_progress')).to.have.length(24);
    });

    it('frees a released claim, and only under its own token', async () => {
      await store.claim(key, 'a', 10_000);
      await store.release(key, 'intruder');
      expect(await store.claim(key, 'b', 10_000)).to.equal('in_progress');
      await store.release(key, 'a');
      expect(await store.claim(key, 'b', 10_000)).to.equal('claimed');
    });

    it('never releases a completed key, nor completes over another token\'s claim', async () => {
      await store.claim(key, 'a', 10_000);
      await store.complete(key, 'a', 10_000);
      await store.release(key, 'a');
      expect(await store.claim(key, 'b', 10_000)).to.equal('completed');

      const other = `${key}-other`;
      await store.claim(other, 'b', 10_000);
      await store.complete(other, 'stale', 10_000);
      expect(await store.claim(other, 'c', 10_000)).to.equal('in_progress');
    });

    it('lets a claim expire (a crashed consumer), and a completion after it expired still counts when nobody took over', async () => {
      await store.claim(key, 'a', 50);
      await sleep(80);
      expect(await store.claim(key, 'b', 50)).to.equal('claimed');
      await sleep(80);
      await store.complete(key, 'b', 10_000);
      expect(await store.claim(key, 'c', 10_000)).to.equal('completed');
    });

    it('forgets a completed key after its ttl', async () => {
      await store.claim(key, 'a', 10_000);
      await store.complete(key, 'a', 50);
      await sleep(80);
      expect(await store.claim(key, 'b', 10_000)).to.equal('claimed');
    });
  });
}

contract('MemoryIdempotencyStore', () => new MemoryIdempotencyStore());

describe('idempotency/RedisIdempotencyStore', () => {
  let redis: TestRedis | undefined;
  before(async () => {
    redis = await startRedis();
  });
  after(() => redis?.stop());
  contract('RedisIdempotencyStore (real redis-server)', () => new RedisIdempotencyStore({ client: redis!.client }));

  it('keeps its keys under its prefix, expiring, and refuses a client without sendCommand', async () => {
    const store = new RedisIdempotencyStore({ client: redis!.client, prefix: 'app:' });
    await store.claim('x', 'tok', 60_000);
    expect(await redis!.client.get('app:x')).to.equal('p:tok');
    const ttl = await redis!.client.pTTL('app:x');
    expect(ttl).to.be.within(1, 60_000);
    await store.complete('x', 'tok', 3_600_000);
    expect(await redis!.client.get('app:x')).to.equal('c:tok');
    expect(() => new RedisIdempotencyStore({ client: {} as never })).to.throw(TypeError, /sendCommand/);
  });
});

describe('idempotency/MemoryIdempotencyStore: memory', () => {
  it('sweeps expired keys as new claims come in', async () => {
    let now = 0;
    const store = new MemoryIdempotencyStore({ now: () => now });
    for (let i = 0; i < 999; i += 1) await store.claim(`k${i}`, 't', 10);
    now = 100;
    await store.claim('last', 't', 10);
    expect(store.size).to.equal(1);
  });
});
