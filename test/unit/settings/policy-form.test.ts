import { expect } from 'chai';
import { PRESETS } from '../../../server/domain/policy/settings';
import { changedKeys, parsePolicy, policyFormValues, policyValues, presetValues } from '../../../server/settings/policy-form';

describe('settings: the policy form', () => {
  const standard = policyFormValues(PRESETS.standard);

  it('When the standard preset is shown as a form, then each value is text and the fee a short decimal', () => {
    expect(standard).to.include({ extendedPendingHours: '24', refundWindowDays: '30', cryptoFee: '1', cancelPending: 'always' });
  });

  it('When a preset name is asked for, then its values fill the form; an unknown name gives null', () => {
    expect(presetValues('strict')).to.include({ preset: 'strict', refundWindowDays: '7', slowDelivery: 'reject', overlapping: 'reject' });
    expect(presetValues('lenient')).to.equal(null);
  });

  it('When the form of a preset is parsed, then the preset comes back exactly', () => {
    for (const preset of [PRESETS.standard, PRESETS.strict]) {
      const parsed = parsePolicy(policyFormValues(preset));
      expect(parsed).to.deep.equal({ ok: true, settings: preset });
    }
  });

  const rows: [string, Record<string, string>, Record<string, string>][] = [
    ['hours below 1', { extendedPendingHours: '0' }, { extendedPendingHours: 'settings:errors.range' }],
    ['hours above 720', { stuckProcessingHours: '721' }, { stuckProcessingHours: 'settings:errors.range' }],
    ['a fractional hour', { stuckProcessingHours: '1.5' }, { stuckProcessingHours: 'settings:errors.range' }],
    ['a window of 366 days', { refundWindowDays: '366' }, { refundWindowDays: 'settings:errors.range' }],
    ['an empty window', { refundWindowDays: ' ' }, { refundWindowDays: 'settings:errors.required' }],
    ['a negative fee', { cryptoFee: '-1' }, { cryptoFee: 'settings:errors.money' }],
    ['a fee with seven decimals', { cryptoFee: '0.1234567' }, { cryptoFee: 'settings:errors.money' }],
    ['an unknown rule value', { overlapping: 'sometimes', cancelPending: '' }, { overlapping: 'settings:errors.choice', cancelPending: 'settings:errors.required' }],
    ['an unknown preset', { preset: 'lenient' }, { preset: 'settings:errors.choice' }],
  ];
  for (const [name, changes, errors] of rows) {
    it(`When the form has ${name}, then that field gets its error and nothing else`, () => {
      const parsed = parsePolicy({ ...standard, ...changes });
      expect(parsed.ok).to.equal(false);
      if (parsed.ok) return;
      expect(Object.fromEntries(Object.entries(parsed.errors).map(([k, v]) => [k, v.key]))).to.deep.equal(errors);
    });
  }

  it('When the range error is given, then it carries the bounds to show', () => {
    const parsed = parsePolicy({ ...standard, refundWindowDays: '0' });
    expect(parsed.ok ? null : parsed.errors.refundWindowDays).to.deep.equal({ key: 'settings:errors.range', params: { min: 1, max: 365 } });
  });

  it('When the bounds themselves and a comma decimal fee are given, then they are accepted', () => {
    const parsed = parsePolicy({ ...standard, extendedPendingHours: '1', stuckProcessingHours: '720', refundWindowDays: '365', cryptoFee: '0,5' });
    expect(parsed.ok && parsed.settings).to.deep.include({ extendedPendingHours: 1, stuckProcessingHours: 720, refundWindowDays: 365, cryptoFeeMicros: 500_000 });
  });

  it('When the body has lists or other types, then each field is read as empty text', () => {
    expect(policyValues({ preset: ['strict'], cryptoFee: 3 })).to.include({ preset: '', cryptoFee: '' });
  });

  it('When two settings are compared, then the keys whose value differs are named', () => {
    expect(changedKeys(PRESETS.standard, PRESETS.strict)).to.have.members([
      'preset', 'cancelPending', 'customerMistakeAfterStart', 'originalMethodFor', 'refundWindowDays', 'slowDelivery', 'overlapping',
    ]);
    expect(changedKeys(PRESETS.standard, { ...PRESETS.standard })).to.deep.equal([]);
  });
});
