import { formatMoney } from '../money';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Every text that reaches the page goes through here. */
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ESCAPES[c]);

export interface PrintableInvoice {
  id: string;
  number: string | null;
  clientId: string;
  period: string;
  status: string;
  lines: { engagementId: string; description: string; amount: { amountMinor: number; currency: string } }[];
  total: { amountMinor: number; currency: string };
  credited: { amountMinor: number; currency: string };
}

/** A clean, printable, self-contained HTML invoice page (no scripts, no external assets). */
export function renderInvoiceHtml(inv: PrintableInvoice, clientName: string | null): string {
  const e = escapeHtml;
  const title = inv.number ? `Invoice ${inv.number}` : `Draft invoice (${inv.status})`;
  const rows = inv.lines.map((l) => `<tr><td>${e(l.description)}</td><td class="amount">${e(formatMoney(l.amount))}</td></tr>`).join('\n        ');
  const credited = inv.credited.amountMinor > 0 ? `<tr><th>Credited</th><td class="amount">-${e(formatMoney(inv.credited))}</td></tr>` : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>${e(title)}</title>
  <style>
    body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 48rem; color: #222; }
    table { width: 100%; border-collapse: collapse; margin-top: 1.5rem; }
    th, td { text-align: left; padding: .4rem .6rem; border-bottom: 1px solid #ddd; }
    .amount { text-align: right; white-space: nowrap; }
    tfoot th, tfoot td { font-weight: bold; border-bottom: none; }
    @media print { body { margin: 0; } }
  </style>
</head>
<body>
  <h1>${e(title)}</h1>
  <p>Client: ${e(clientName ?? inv.clientId)}<br>Period: ${e(inv.period)}<br>Status: ${e(inv.status)}</p>
  <table>
    <thead><tr><th>Description</th><th class="amount">Amount</th></tr></thead>
    <tbody>
        ${rows}
    </tbody>
    <tfoot>
      <tr><th>Total</th><td class="amount">${e(formatMoney(inv.total))}</td></tr>
      ${credited}
    </tfoot>
  </table>
</body>
</html>
`;
}
