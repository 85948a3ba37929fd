// Money the policy computes, exactly: integers only, rounded down to the micro-unit.

/** The undelivered part: charge × remains ÷ quantity, rounded down. */
export function undeliveredMicros(chargeMicros: number, remains: number, quantity: number): number {
  if (quantity <= 0 || remains <= 0) return 0;
  const part = (BigInt(chargeMicros) * BigInt(Math.min(remains, quantity))) / BigInt(quantity);
  return Number(part);
}

/** What is still owed after what the ledger already paid. */
export function stillOwed(amountMicros: number, refundedMicros: number): number {
  return Math.max(0, amountMicros - refundedMicros);
}
