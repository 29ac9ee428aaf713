import { expect } from 'chai';
import { inLanes } from '../../src/lambda/lanes.js';

interface Rec {
  id: string;
  group?: string;
}

const groupOf = (r: Rec) => r.group;
const recs = (...ids: string[]): Rec[] => ids.map((spec) => {
  const [id, group] = spec.split('@');
  return group === undefined ? { id: id as string } : { id: id as string, group };
});

describe('inLanes', () => {
  it('runs records settled at once in order, in the same turn, and reports the failed ones', async () => {
    const ran: string[] = [];
    const failed = inLanes(recs('a', 'b', 'c', 'd'), 2, groupOf, (r) => {
      ran.push(r.id);
      return r.id !== 'c';
    });
    // Nothing was awaited: every record ran before inLanes returned.
    expect(ran).to.deep.equal(['a', 'b', 'c', 'd']);
    expect([...(await failed)].map((r) => r.id)).to.deep.equal(['c']);
  });

  it('keeps at most `concurrency` records waiting at once, however many settle at once', async () => {
    let waiting = 0;
    let most = 0;
    const records = recs(...Array.from({ length: 20 }, (_, i) => String(i)));
    const failed = await inLanes(records, 3, groupOf, (r) => {
      if (Number(r.id) % 2 === 0) return true;
      waiting += 1;
      most = Math.max(most, waiting);
      return new Promise<boolean>((resolve) => setTimeout(() => ((waiting -= 1), resolve(r.id !== '7')), 5));
    });
    expect(most).to.equal(3);
    expect([...failed].map((r) => r.id)).to.deep.equal(['7']);
  });

  it('stops a FIFO group at its first failure, synchronous or not, and lets other groups go on', async () => {
    const ran: string[] = [];
    const failed = await inLanes(recs('a1@A', 'b1@B', 'a2@A', 'b2@B', 'a3@A', 'x'), 2, groupOf, (r) => {
      ran.push(r.id);
      if (r.id === 'a2') return false;
      if (r.id === 'b1') return new Promise<boolean>((resolve) => setTimeout(resolve, 2, false));
      return true;
    });
    expect([...failed].map((r) => r.id).sort()).to.deep.equal(['a2', 'a3', 'b1', 'b2']);
    expect(ran).to.not.include.members(['a3', 'b2']);
    expect(ran).to.include.members(['a1', 'a2', 'b1', 'x']);
  });
});
