import { expect } from 'chai';
import { intakeValues, parseIntake, type IntakeValues } from '../../../server/tickets/form';

const valid: IntakeValues = {
  email: 'Buyer@Example.com',
  orderIds: '81532, 81533',
  link: 'https://instagram.com/p/abc',
  reason: 'not_started',
  details: 'Please cancel',
  preferredResolution: 'balance',
  paymentReference: '',
  amount: '',
};

describe('intake form', () => {
  it('When every field is valid, then the input is normalized', () => {
    const { input, errors } = parseIntake(valid);
    expect(errors).to.deep.equal({});
    expect(input).to.include({ email: 'buyer@example.com', reason: 'not_started', amountMicros: null });
    expect(input?.orderIds).to.deep.equal(['81532', '81533']);
  });

  const rows: [string, Partial<IntakeValues>, string, string][] = [
    ['the email is empty', { email: '' }, 'email', 'field.required'],
    ['the email has no domain', { email: 'buyer@' }, 'email', 'email.invalid'],
    ['there is no order ID', { orderIds: ' ' }, 'orderIds', 'field.required'],
    ['an order ID has letters', { orderIds: '81532, 8153x' }, 'orderIds', 'orderIds.invalid'],
    ['there are eleven order IDs', { orderIds: '1 2 3 4 5 6 7 8 9 10 11' }, 'orderIds', 'orderIds.tooMany'],
    ['the link is missing', { link: '' }, 'link', 'field.required'],
    ['the link is not a web link', { link: 'javascript:alert(1)' }, 'link', 'link.invalid'],
    ['the reason is unknown', { reason: 'hack' }, 'reason', 'reason.invalid'],
    ['the reason is missing', { reason: '' }, 'reason', 'field.required'],
    ['the reason is other and there are no details', { reason: 'other', details: '' }, 'details', 'details.requiredForOther'],
    ['the details are too long', { details: 'x'.repeat(5001) }, 'details', 'field.tooLong'],
    ['the resolution is unknown', { preferredResolution: 'cash' }, 'preferredResolution', 'field.required'],
    ['a billing error has no payment reference', { reason: 'billing_error', orderIds: '', amount: '5' }, 'paymentReference', 'paymentReference.required'],
    ['a billing error has no amount', { reason: 'billing_error', orderIds: '', paymentReference: 'TX1' }, 'amount', 'amount.required'],
    ['the amount is not a number', { amount: '12.3.4' }, 'amount', 'amount.invalid'],
    ['the amount has seven decimals', { amount: '0.1234567' }, 'amount', 'amount.invalid'],
  ];
  for (const [when, change, field, key] of rows) {
    it(`When ${when}, then ${field} gets ${key}`, () => {
      const { input, errors } = parseIntake({ ...valid, ...change });
      expect(input).to.equal(undefined);
      expect(errors[field]?.key).to.equal(key);
    });
  }

  it('When a billing error has a reference and an amount, then no order ID or link is needed', () => {
    const { input } = parseIntake({ ...valid, reason: 'billing_error', orderIds: '', link: '', paymentReference: 'TX-9', amount: '12.345678' });
    expect(input).to.include({ paymentReference: 'TX-9', amountMicros: 12_345_678, link: null });
    expect(input?.orderIds).to.deep.equal([]);
  });

  it('When the link has no scheme, then https is assumed', () => {
    expect(parseIntake({ ...valid, link: 'instagram.com/p/abc' }).input?.link).to.equal('https://instagram.com/p/abc');
  });

  it('When the form is prefilled from a query string, then only known fields are taken and the resolution defaults to balance', () => {
    const values = intakeValues({ orderIds: '81532,81533', lng: 'ar', evil: 'x' });
    expect(values.orderIds).to.equal('81532,81533');
    expect(values.preferredResolution).to.equal('balance');
    expect(values).to.not.have.property('evil');
  });
});
