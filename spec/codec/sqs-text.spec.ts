import { expect } from 'chai';
import { decodeBody } from '../../src/codec/body.js';
import { encodePayload } from '../../src/codec/encode.js';
import { escapeForSqsText } from '../../src/codec/sqs-text.js';

/** The characters SQS accepts, as the SendMessage API reference lists them. */
const SQS_ALLOWED = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;

// Every kind SQS refuses: U+FFFE, U+FFFF, a lone high and a lone low surrogate, NUL and other controls.
const HOSTILE = 'a\uFFFEb\uFFFFc\uD800d\uDC00e\u0000f\u001Bg\u000B';

describe('codec/sqs-text', () => {
  it('JSON output carries no character SQS refuses, and decodes back to the same strings', () => {
    const data = { [`key${HOSTILE}`]: HOSTILE, nested: [HOSTILE, { deep: '\uFFFF' }], fine: 'é 日本 😀 \t\n' };
    const body = encodePayload(data);
    expect(SQS_ALLOWED.test(body)).to.equal(true);
    expect(body).to.include('\\ufffe').and.include('\\uffff').and.include('\\ud800').and.include('\\udc00');
    expect(decodeBody(body)).to.deep.equal({ kind: 'data', encoding: 'json', payload: data });
  });

  it('leaves JSON without such characters untouched', () => {
    expect(encodePayload({ a: 'é 日本 😀\uFFFD' })).to.equal('{"a":"é 日本 😀\uFFFD"}');
  });

  it('escapes forbidden characters in attribute text, keeping surrogate pairs and allowed whitespace', () => {
    expect(escapeForSqsText(HOSTILE)).to.equal('a\\ufffeb\\uffffc\\ud800d\\udc00e\\u0000f\\u001bg\\u000b');
    expect(escapeForSqsText('😀 \t\n\r ok')).to.equal('😀 \t\n\r ok');
  });
});
