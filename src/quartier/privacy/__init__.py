"""Privacy: a person's right to their data and to be forgotten (revDSG, GDPR).

- **Export**: every context that holds personal data has a `personal_data` module with
  `export(user_id)` and `erase(user_id)`; `export.export_zip` gathers all of them into one
  zip of JSON files (one per context) with a README.
- **Erasure**: a member asks for their account to be deleted (`services.deletion_request`,
  password confirmed, no live booking); after a grace period (QUARTIER_DELETION_GRACE_DAYS,
  30) in which they may change their mind, the worker's tick erases it: each context erases
  or anonymises what it holds, the account row stays as a nameless, inactive placeholder.
- **Retention**: what the law makes us keep — issued invoices (CH 10 years, DE 8 years) and
  the ledger — is not erased but restricted: kept out of everything that shows or processes
  it, and deleted when its retention ends. The ledger names accounts by number only.
"""
