/** Money is integer minor units (cents) with an ISO 4217 currency, never a float. */
export interface Money {
  amountMinor: number;
  currency: string;
}
