import { expect } from 'chai';
import { decodeBase64, encodeBase64, isStrictBase64 } from '../../src/codec/base64.js';

describe('codec/base64', () => {
  it('accepts only padded standard base64 with no whitespace', () => {
    for (const text of ['AQID', 'AQIDBA==', 'AQIDBAU=', 'ab+/']) expect(isStrictBase64(text), text).to.equal(true);
    for (const text of ['', 'AQI', 'AQIDBA', 'AQ ID', 'AQID\n', 'ab-_', 'A===', '====', 'AQ=D', 'AQIDBA===']) {
      expect(isStrictBase64(text), JSON.stringify(text)).to.equal(false);
    }
  });

  it('decodes into a fresh Uint8Array that owns its bytes', () => {
    const bytes = decodeBase64('AQID');
    expect(bytes).to.deep.equal(new Uint8Array([1, 2, 3]));
    expect(Buffer.isBuffer(bytes)).to.equal(false);
    expect(bytes.buffer.byteLength).to.equal(3);
  });

  it('encodes a view of a larger buffer by its own bytes only', () => {
    const view = new Uint8Array([9, 1, 2, 3, 9]).subarray(1, 4);
    expect(encodeBase64(view)).to.equal('AQID');
  });
});
