import { expect } from 'chai';
import { describeError, jsonLogger, truncate } from '../../src/aws/logger.js';

describe('aws/logger', () => {
  it('writes one JSON object per line with the structured fields', () => {
    const lines: string[] = [];
    const log = jsonLogger({ write: (l) => lines.push(l) });
    log.info('processed', { messageId: 'm1', subscriber: 'S', status: 'DONE', durationMs: 1.5 });
    expect(lines).to.have.length(1);
    expect(lines[0]?.endsWith('\n')).to.equal(true);
    const record = JSON.parse(lines[0] ?? '');
    expect(record).to.deep.include({ level: 'info', msg: 'processed', messageId: 'm1', subscriber: 'S', status: 'DONE', durationMs: 1.5 });
    expect(Date.parse(record.time)).to.be.a('number').and.not.NaN;
  });

  it('filters by level and serialises errors as name and message only', () => {
    const lines: string[] = [];
    const log = jsonLogger({ level: 'warn', write: (l) => lines.push(l) });
    log.debug('no');
    log.info('no');
    log.error('failed', { error: new TypeError('bad thing') });
    expect(lines).to.have.length(1);
    expect(JSON.parse(lines[0] ?? '').error).to.deep.equal({ name: 'TypeError', message: 'bad thing' });
  });

  it('survives fields that cannot be serialised', () => {
    const lines: string[] = [];
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    jsonLogger({ write: (l) => lines.push(l) }).warn('odd', { cyclic, big: 10n });
    expect(JSON.parse(lines[0] ?? '')).to.deep.include({ level: 'warn', msg: 'odd' });
  });

  it('truncate bounds text and says how much was cut', () => {
    expect(truncate('short', 10)).to.equal('short');
    expect(truncate('x'.repeat(30), 10)).to.equal(`${'x'.repeat(10)}... (20 more characters)`);
    expect(describeError('str')).to.deep.equal({ name: 'NonError', message: 'str' });
  });
});
