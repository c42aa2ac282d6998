"""Invoicing: customer invoices in the helper's name, credit notes, and Quartier's monthly
commission invoices — numbered per issuer without gaps, frozen once issued, rendered as PDF.

- `models`: Invoice (append-only, with a JSON snapshot of everything printed), InvoicePdf
  (the PDF, rendered on first download and kept), InvoiceCounter (per series and year,
  locked while issuing), InvoiceWithheld (why a job got no invoice).
- `rules`: which template an invoice in the helper's name uses (the rule, written down).
- `compose` / `credit` / `commission`: the snapshots; `pdf` and `payment` draw them.
- `handlers`: `job.settled` issues the customer invoice, `dispute.resolved` with a refund a
  credit note; the `invoicing.commission` tick and `quartier invoices commission --month`
  issue last month's commission invoices.
"""
