"""Bank-file reconciliation: Quartier's own account statements (ISO 20022 camt.053 and
camt.054) are read, each credit is matched by its structured reference to a commission
invoice (the helper pays Quartier) or a partner statement (a CHF partner pays the
settlement account) and booked in the ledger through the payments flows; whatever cannot
be matched or booked waits in the operators' queue (back office, "Bank credits").

Idempotent: a file is imported once (its message id), a credit is booked once (the bank's
reference), so importing the same file twice, or a camt.054 and then the day's camt.053,
changes nothing the second time.
"""
