import { expect } from 'chai';
import { and, any, gt, match, not, oneOf } from '../../src/match/dsl.js';
import { compile } from '../../src/match/compile.js';

describe('explain', () => {
  const notification = compile(
    {
      type: match('user:notification:(.*)'),
      notification_type: oneOf('email', 'sms', 'push'),
      user: { id: gt(0), email: not(match('test@(.*)')), template: 'password_changed' },
    },
    'data',
  );
  const good = {
    type: 'user:notification:email',
    notification_type: 'email',
    user: { id: 987650, email: 'johndoe_86@example.com', template: 'password_changed' },
  };

  it('is undefined when the value matches', () => {
    expect(notification(good)).to.equal(true);
    expect(notification.explain(good)).to.equal(undefined);
  });

  it('names the first failing path with expected and actual', () => {
    expect(notification.explain({ ...good, user: { ...good.user, email: 'test@example.com' } })).to.deep.equal({
      path: 'data.user.email',
      expected: 'not(match("test@(.*)"))',
      actual: 'test@example.com',
    });
    expect(notification.explain({ ...good, notification_type: 'fax' })).to.deep.equal({
      path: 'data.notification_type',
      expected: 'oneOf("email", "sms", "push")',
      actual: 'fax',
    });
  });

  it('reports a missing key and a value that is not an object', () => {
    const { template: _template, ...user } = good.user;
    expect(notification.explain({ ...good, user })).to.deep.equal({
      path: 'data.user.template',
      expected: 'present and "password_changed"',
      actual: undefined,
    });
    expect(notification.explain('text')?.path).to.equal('data');
    expect(notification.explain('text')?.expected).to.match(/^an object like/);
  });

  it('descends into and() to the failing operand', () => {
    const quantity = compile(and(gt(5), not(gt(10))), 'attributes.quantity');
    expect(quantity.explain(13)).to.deep.equal({ path: 'attributes.quantity', expected: 'not(gt(10))', actual: 13 });
    expect(quantity.explain(2)).to.deep.equal({ path: 'attributes.quantity', expected: 'gt(5)', actual: 2 });
  });

  it('says which array item is missing or extra', () => {
    const tags = compile(['a', 'b'], 'tags');
    expect(tags.explain(['a'])?.expected).to.match(/none is "b"/);
    expect(tags.explain(['a', 'b', 'c'])).to.deep.equal({ path: 'tags[2]', expected: 'one of ["a", "b"]', actual: 'c' });
    expect(compile(match([2, gt(3)]), 'n').explain([4, 2])).to.equal(undefined);
    expect(compile(match([2, gt(3)]), 'n').explain([1, 2])?.expected).to.equal('some item to satisfy gt(3)');
    expect(compile(any(), 'subject').explain(undefined)).to.deep.equal({ path: 'subject', expected: 'any()', actual: undefined });
  });
});
