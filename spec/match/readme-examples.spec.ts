// The matching examples of the reference README, at the pattern level (field by field, as an
// EventSubscriber applies them; the subscriber-level versions live in spec/dispatch).
import { expect } from 'chai';
import { and, any, empty, gt, gte, match, not, oneOf } from '../../src/match/dsl.js';
import { compilePattern, matches } from '../../src/match/compile.js';

describe('README matching examples', () => {
  it('UserNotification: a data pattern with regexes, oneOf, nested object and a predicate', () => {
    const templates = new Set(['password_changed']);
    const pattern = compilePattern({
      type: match('user:notification:(.*)'),
      notification_type: oneOf('email', 'sms', 'push'),
      user: {
        id: gt(0),
        email: not(match('test@(.*)')),
        template: (lhs) => typeof lhs === 'string' && templates.has(lhs),
      },
    });
    const payload = {
      type: 'user:notification:email',
      notification_type: 'email',
      ts: 1592163068,
      user: { id: 987650, first_name: 'John', email: 'johndoe_86@example.com', template: 'password_changed' },
      meta: { generated_by: 'user_service', ip_address: '177.182.215.204' },
    };
    expect(pattern(payload)).to.equal(true);
    expect(pattern({ type: 'user:notification:email', notification_type: 'email' })).to.equal(false);
    expect(pattern({ ...payload, user: { ...payload.user, template: 'unknown' } })).to.equal(false);
    expect(pattern({ ...payload, user: { ...payload.user, email: 'test@example.com' } })).to.equal(false);
  });

  it('UserLogin: every field pattern holds for the example event', () => {
    const event = {
      domain: 'user', name: 'user:login:web', version: 1, subject: '987650',
      attributes: { email: 'johndoe_86@example.com', success: true, attempts: 4 },
    };
    const object = {
      type: 'user', id: '987650', version: 2,
      current: { id: 987650, username: 'john-doe', email: 'johndoe_86@example.com', created_at: '2020-03-28T15:23:01' },
    };
    const fields: Array<[unknown, Parameters<typeof matches>[1]]> = [
      [event.domain, 'user'],
      [event.name, match('user:login:(.*)')],
      [event.version, any()],
      [event.subject, match('^\\d+$')],
      [event.attributes, { success: true, attempts: gt(2) }],
      [object.type, 'user'],
      [object.version, oneOf(1, 2, 3)],
      [object.current, { email: not(empty()), username: not(['test', 'synthetic']), created_at: gte(new Date('2020-01-01')) }],
    ];
    for (const [value, pattern] of fields) expect(matches(value, pattern), JSON.stringify(value)).to.equal(true);

    const current = { email: not(empty()), username: not(['test', 'synthetic']), created_at: gte(new Date('2020-01-01')) };
    expect(matches({ ...object.current, username: 'synthetic' }, current)).to.equal(false);
    expect(matches({ ...object.current, created_at: '2019-12-31T23:59:59' }, current)).to.equal(false);
    expect(matches({ ...object.current, email: '' }, current)).to.equal(false);
    expect(matches({ success: true, attempts: 2 }, { success: true, attempts: gt(2) })).to.equal(false);
    expect(matches({ success: 'true', attempts: 4 }, { success: true, attempts: gt(2) })).to.equal(false);
  });

  it('ShoppingCartItemAdded: version oneOf(1, 2), attributes item_id not empty and quantity > 0', () => {
    const version = compilePattern(oneOf(1, 2));
    const attributes = compilePattern({ item_id: not(empty()), quantity: gt(0) });
    expect(version(2)).to.equal(true);
    expect(version(3)).to.equal(false);
    expect(attributes({ item_id: '61fcc874-624e-40f8-8fd7-0e663c7837e8', quantity: 5 })).to.equal(true);
    expect(attributes({ item_id: '', quantity: 5 })).to.equal(false);
    expect(attributes({ item_id: 'x', quantity: 0 })).to.equal(false);
    expect(attributes({ quantity: 5 })).to.equal(false);
  });

  it("quantity: and(gt(5), not(gt(10))) matches 7, not 2 or 13", () => {
    const quantity = compilePattern({ quantity: and(gt(5), not(gt(10))) });
    expect([7, 2, 13].map((q) => quantity({ quantity: q }))).to.deep.equal([true, false, false]);
  });
});
