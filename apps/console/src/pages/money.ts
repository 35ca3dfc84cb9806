/** An amount in minor units, as the pages show it: `$30.00`, `€30.00`. */
export const money = (m: { amountMinor: number; currency: string }): string => new Intl.NumberFormat('en-US', { style: 'currency', currency: m.currency }).format(m.amountMinor / 100);
