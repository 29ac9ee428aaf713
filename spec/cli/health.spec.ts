import { expect } from 'chai';
import { healthUrl, startHealthServer } from '../../src/cli/health.js';

// Loopback addresses only: 127.0.0.2 is loopback on Linux and shows the host option is honoured.
describe('cli/health', () => {
  it('binds 127.0.0.1 by default and the given address otherwise, nothing else', async () => {
    const fallback = await startHealthServer(0, () => 'polling');
    const other = await startHealthServer(0, () => 'starting', '127.0.0.2');
    try {
      expect((await fetch(healthUrl('127.0.0.1', fallback.port))).status).to.equal(200);
      const answer = await fetch(healthUrl('127.0.0.2', other.port));
      expect(answer.status).to.equal(503);
      expect(await answer.json()).to.deep.equal({ status: 'starting' });
      const elsewhere = await fetch(healthUrl('127.0.0.1', other.port)).then(
        () => 'answered',
        () => 'refused',
      );
      expect(elsewhere).to.equal('refused');
    } finally {
      await fallback.close();
      await other.close();
    }
  });

  it('writes IPv6 addresses in brackets', () => {
    expect(healthUrl('::1', 8080)).to.equal('http://[::1]:8080/');
    expect(healthUrl('0.0.0.0', 8080)).to.equal('http://0.0.0.0:8080/');
  });
});
