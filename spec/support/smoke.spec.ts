import { expect } from 'chai';
import { ProcessStatus } from '../../src/dispatch/status.js';

describe('package skeleton', () => {
  it('exposes the process statuses', () => {
    expect(Object.values(ProcessStatus)).to.deep.equal(['DONE', 'RETRY_LATER', 'FATAL_ERROR', 'RETRIABLE_ERROR']);
  });
});
