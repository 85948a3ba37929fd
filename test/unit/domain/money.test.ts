import { expect } from 'chai';
import { microsToDecimal, parseMoney } from '../../../server/domain/money';

describe('money', () => {
  const rows: [string | number, number | null][] = [
    ['0.27819', 278_190],
    ['12', 12_000_000],
    ['12.5', 12_500_000],
    ['12,50', 12_500_000],
    [' 1.000001 ', 1_000_001],
    ['0.1', 100_000],
    [0.1, 100_000],
    [157, 157_000_000],
    ['1.0000001', null],
    ['-1', null],
    ['1e3', null],
    ['abc', null],
    ['', null],
    [Number.NaN, null],
    ['999999999999', null],
    ['9000000000', 9_000_000_000_000_000],
  ];
  for (const [input, expected] of rows) {
    it(`When parsing ${JSON.stringify(input)}, then the result is ${expected}`, () => {
      expect(parseMoney(input)).to.equal(expected);
    });
  }

  it('When 0.1 + 0.2 is summed in micro-units, then it is exactly 0.3', () => {
    expect(parseMoney('0.1')! + parseMoney('0.2')!).to.equal(parseMoney('0.3'));
  });

  it('When micro-units are printed, then every digit is kept', () => {
    expect(microsToDecimal(278_190)).to.equal('0.278190');
    expect(microsToDecimal(12_000_001)).to.equal('12.000001');
    expect(microsToDecimal(-5)).to.equal('-0.000005');
  });
});
