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
| `helper:<id>:tips:CUR` | tips (memo) | tips the helper received (no commission) |
| `customer:<id>:receivable:CUR` | receivable (asset) | a customer's card / TWINT charge |
| `partner:<id>:receivable:CUR` | receivable (asset) | a partner's monthly statement |
| `quartier:commission:CUR` | commission (revenue) | commission, net of VAT |
| `quartier:vat:<CC>:CUR` | vat (liability) | VAT on commission, country CC |
| `quartier:bank:CUR` | bank (asset) | Quartier's own bank account |
| `quartier:settlement:CUR` | settlement (asset) | partners' money, at most 60 days |
| `quartier:payouts-in-transit:CUR` | in_transit (asset) | payouts in an unexecuted file |
| `memo:jobs-gross:CUR` | jobs_gross_offset (memo) | the other side of `jobs-gross` |
| `memo:tips:CUR` | jobs_gross_offset (memo) | the other side of `tips` |

Event -> entries (P job price, T tip, S partner's share, C commission on P, V VAT on C;
+debit, -credit). Every job's transactions have the subject `booking:<id>`, payouts'
`payout:<id>`. The `job.settled` and `dispute.resolved` rows are booked by `flows.py`, a late
cancellation's fee by `cancellation_fees.py`; the others are the plan the payouts step fills in:

| event | entries |
| --- | --- |
| `job.settled` (every method) | helper receivable +(C+V), commission -C, VAT -V, |
|   | memo:jobs-gross +P, helper jobs-gross -P |
|   with a tip | + memo:tips +T, helper tips -T (a memo: the customer pays it directly) |
|   with a partner share S > 0 | + partner receivable +S, helper payable -S |
| `dispute.resolved`, refund R | helper receivable -(c+v), commission +c, VAT +v, |
|   (c, v, s: C, V, S times R/P) | memo:jobs-gross -R, helper jobs-gross +R, |
|   | partner receivable -s, helper payable +s |
| `booking.cancelled` with fee F | helper receivable +(c+v), commission -c, VAT -v, |
|   (late; c, v: commission and VAT on F) | memo:jobs-gross +F, helper jobs-gross -F |
| partner pays its statement | settlement +S, partner receivable -S |
| helper pays commission | bank +(C+V), helper receivable -(C+V) |
| netting commission vs shares | helper payable +X, helper receivable -X |
| payout run | helper payable +N, payouts-in-transit -N |
| payout file executed | payouts-in-transit +N, settlement -N |
| any correction (`ledger_reverse`) | the original's entries, negated |

The customer's own share (P - S + T, by transfer or cash) goes from the customer to the
helper without touching Quartier, so it has no entries; the method is in the memo
(`Booking #42, cash: ...`) for statements. The commission stays on the helper's receivable
also for partner-paid jobs: the payout run nets the payable against it. A refund takes the
parts of the price in proportion, each rounded half up on what is left of the job (so all
refunds of a job sum to exactly its parts, and the parts of a refund to the refund); it is
capped at what is left of the price, and a job the ledger has not settled gets none.
Money owed to a helper on a job with an open dispute is held (`selectors.held_minor`).

Commission and its VAT are configured by `QUARTIER_COMMISSION`, `QUARTIER_VAT_REGISTERED`
and `QUARTIER_COMMISSION_VAT` (see `commission.py`). `quartier ledger check` verifies the
books; `statements.helper_statement` reads a helper's month or year from them,
and `selectors.trial_balance`, `settlement_age` and `transactions_for_subject` feed the
back office's money pages.
"""
