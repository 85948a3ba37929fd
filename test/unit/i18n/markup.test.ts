import { expect } from 'chai';
import { isolatedT } from '../../../server/i18n/markup';
import { translator } from '../../../server/i18n/index';

describe('translations with isolated values', () => {
  const tb = isolatedT(translator('en'));

  it('When a value is interpolated, then it is escaped and wrapped in <bdi>', () => {
    expect(tb('errors:orderIds.invalid', { value: '<img src=x>' })).to.equal(
      '“<bdi>&lt;img src=x&gt;</bdi>” is not an order ID. Order IDs contain digits only.',
    );
  });

  it('When count is given, then it chooses the plural form', () => {
    expect(tb('errors:screenshots.tooMany', { count: 1 })).to.equal('You can attach at most 1 screenshot.');
    expect(tb('errors:screenshots.tooMany', { count: 5 })).to.equal('You can attach at most 5 screenshots.');
  });

  it('When the Arabic translation has an ID, then the ID is isolated inside the right-to-left text', () => {
    const ar = isolatedT(translator('ar'))('tickets:confirmation.number', { number: 'RD-7KQ4-M2XD' });
    expect(ar).to.include('<bdi>RD-7KQ4-M2XD</bdi>');
    expect(ar).to.match(/[\u0600-\u06FF]/);
  });
});
