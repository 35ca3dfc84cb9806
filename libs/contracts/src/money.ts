/** Money is integer minor units (cents) with an ISO 4217 currency, never a float. */
export interface Money {
  /** @asType integer */
  amountMinor: number;
  /** @pattern ^[A-Z]{3}$ */
  currency: string;
}
