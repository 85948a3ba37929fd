import { expect } from 'chai';
import { currencyCode, email, field, fieldList, httpUrl, oneOf, requiredText, wholeNumber } from '../../../server/settings/forms';

const key = (r: { ok: boolean; error?: { key: string } }) => (r.ok ? 'ok' : r.error!.key.replace('settings:errors.', ''));

describe('settings: the shared field checks', () => {
  const numbers: [string, string][] = [['1', 'ok'], ['720', 'ok'], [' 24 ', 'ok'], ['0', 'range'], ['721', 'range'], ['-3', 'range'], ['2.5', 'range'], ['1e3', 'range'], ['', 'required']];
  for (const [text, want] of numbers) {
    it(`When "${text}" is checked as a whole number from 1 to 720, then it is ${want}`, () => {
      expect(key(wholeNumber(text, 1, 720))).to.equal(want);
    });
  }

  const urls: [string, boolean, string][] = [
    ['https://panel.example/hook', false, 'ok'],
    ['http://127.0.0.1:8080/api/v2', false, 'ok'],
    ['', true, 'ok'],
    ['', false, 'required'],
    ['ftp://files.example', false, 'url'],
    ['javascript:alert(1)', false, 'url'],
    ['panel.example/hook', false, 'url'],
  ];
  for (const [text, optional, want] of urls) {
    it(`When "${text}" is checked as ${optional ? 'an optional' : 'a'} URL, then it is ${want}`, () => {
      expect(key(httpUrl(text, optional))).to.equal(want);
    });
  }

  it('When an optional URL is empty, then its value is null', () => {
    expect(httpUrl('  ', true)).to.deep.equal({ ok: true, value: null });
  });

  it('When text, emails, currencies and choices are checked, then each gets its value or its error', () => {
    expect(requiredText('  Nadia ', 10)).to.deep.equal({ ok: true, value: 'Nadia' });
    expect(requiredText('x'.repeat(11), 10)).to.deep.equal({ ok: false, error: { key: 'settings:errors.tooLong', params: { max: 10 } } });
    expect(email(' New.Agent@Desk.test ')).to.deep.equal({ ok: true, value: 'new.agent@desk.test' });
    expect(key(email('not-an-email'))).to.equal('email');
    expect(currencyCode('eur')).to.deep.equal({ ok: true, value: 'EUR' });
    expect(key(currencyCode('EURO'))).to.equal('currency');
    expect(oneOf('b', ['a', 'b'] as const)).to.deep.equal({ ok: true, value: 'b' });
    expect(key(oneOf('c', ['a', 'b'] as const))).to.equal('choice');
  });

  it('When a body field is read, then strings are capped and anything else is empty; lists accept one or many', () => {
    expect(field({ a: 'abcdef' }, 'a', 3)).to.equal('abc');
    expect(field({ a: ['x'] }, 'a')).to.equal('');
    expect(fieldList({ s: 'one' }, 's')).to.deep.equal(['one']);
    expect(fieldList({ s: ['one', 2, 'two'] }, 's')).to.deep.equal(['one', 'two']);
    expect(fieldList({}, 's')).to.deep.equal([]);
  });
});
