"""Payments: Quartier's double-entry ledger (first step of the money issue).

One ledger in integer minor units per currency (CHF, EUR). Every `LedgerTransaction` is a
set of `LedgerEntry` rows that sum to zero per currency (debit = positive, credit =
negative); rows are only ever appended — a correction is a reversing transaction. Each
transaction has a unique `event_key` (the domain event it books, `event:<id>`, or another
business key), and is written by a handler of a stored domain event in the database
transaction that marks the event handled — so each event is booked exactly once.

We write the ledger ourselves: django-hordak needs PostgreSQL or MySQL and stores decimals,
and our embedded default is SQLite.

The account plan (`chart.py`; one account per code and currency CUR):

| code | kind (nature) | holds |
| --- | --- | --- |
| `helper:<id>:receivable:CUR` | receivable (asset) | what the helper owes Quartier |
| `helper:<id>:payable:CUR` | payable (liability) | what Quartier owes the helper |
| `helper:<id>:jobs-gross:CUR` | jobs_gross (memo) | the helper's settled job values |
| `customer:<id>:receivable:CUR` | receivable (asset) | a customer's card / TWINT charge |
| `partner:<id>:receivable:CUR` | receivable (asset) | a partner's monthly statement |
| `quartier:commission:CUR` | commission (revenue) | commission, net of VAT |
| `quartier:vat:<CC>:CUR` | vat (liability) | VAT on commission, country CC |
| `quartier:bank:CUR` | bank (asset) | Quartier's own bank account |
| `quartier:settlement:CUR` | settlement (asset) | partners' money, at most 60 days |
| `quartier:payouts-in-transit:CUR` | in_transit (asset) | payouts in an unexecuted file |
| `memo:jobs-gross:CUR` | jobs_gross_offset (memo) | the other side of `jobs-gross` |

Event -> entries (P job price, C commission on P, V VAT on C; +debit, -credit). Only the
first row is booked today; the others are the plan the later steps fill in:

| event | entries |
| --- | --- |
| `job.settled`, paid to the helper | helper receivable +(C+V), commission -C, VAT -V, |
|   (transfer, cash: the default) | memo:jobs-gross +P, helper jobs-gross -P |
| `job.settled`, partner-paid | partner receivable +P, helper payable -(P-C-V), |
|   (later) | commission -C, VAT -V, memo:jobs-gross +P, helper jobs-gross -P |
| tip through a PSP (later) | customer receivable +T, helper payable -T (no commission) |
| partner pays its statement | settlement +P, partner receivable -P |
| helper pays commission | bank +(C+V), helper receivable -(C+V) |
| netting commission vs shares | helper payable +X, helper receivable -X |
| payout run | helper payable +N, payouts-in-transit -N |
| payout file executed | payouts-in-transit +N, settlement -N |
| any correction (`ledger_reverse`) | the original's entries, negated |

Commission and its VAT are configured by `QUARTIER_COMMISSION`, `QUARTIER_VAT_REGISTERED`
and `QUARTIER_COMMISSION_VAT` (see `commission.py`). `quartier ledger check` verifies the
books; `selectors.helper_statement` reads a helper's month or year from them.
"""
