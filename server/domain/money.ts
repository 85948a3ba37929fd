// Money is integer micro-units (1 unit = 1,000,000). Decimal strings are parsed
// digit by digit, never through a float.
export const MICROS_PER_UNIT = 1_000_000n;

const CURRENCY_CODE = /^[A-Z]{3}$/;
const DECIMAL = /^\s*(\d{1,12})(?:[.,](\d{1,6}))?\s*$/;

/** "0.27819" → 278190. Returns null for anything that is not a plain non-negative decimal. */
export function parseMoney(input: string | number): number | null {
  const text = typeof input === 'number' ? numberToDecimal(input) : input;
  if (text === null) return null;
  const m = DECIMAL.exec(text);
  if (!m) return null;
  const whole = BigInt(m[1]!);
  const frac = BigInt((m[2] ?? '').padEnd(6, '0'));
  const micros = whole * MICROS_PER_UNIT + frac;
  return micros > BigInt(Number.MAX_SAFE_INTEGER) ? null : Number(micros);
}

/** Provider APIs send numbers too; their shortest decimal text is what they meant. */
function numberToDecimal(n: number): string | null {
  if (!Number.isFinite(n) || n < 0) return null;
  const s = String(n);
  return s.includes('e') ? null : s;
}

/** 278190 → "0.278190" (exact; trailing zeros kept to six places). */
export function microsToDecimal(micros: number): string {
  const sign = micros < 0 ? '-' : '';
  const abs = BigInt(Math.abs(micros));
  const whole = abs / MICROS_PER_UNIT;
  const frac = (abs % MICROS_PER_UNIT).toString().padStart(6, '0');
  return `${sign}${whole}.${frac}`;
}

/** 12240000 → "12.24", 5000000 → "5": for form fields people edit. */
export function microsToShortDecimal(micros: number): string {
  return microsToDecimal(micros).replace(/\.?0+$/, '');
}

/** "USD": three capital letters (ISO 4217's shape). Callers upper-case what people type first. */
export function isCurrencyCode(text: string): boolean {
  return CURRENCY_CODE.test(text);
}
