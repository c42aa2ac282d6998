"""Compliance: platform tax reporting (DAC7 / German PStTG) and the helpers' tax thresholds.

DAC7 (money-law §4): every active seller resident in an EU member state is reportable —
for services there is no 30-sale / EUR 2,000 exemption. `dac7_data` collects and checks
what § 14 PStTG requires (the name, address, IBAN and VAT ID come from the payout & tax
profile in payments; date and place of birth, every TIN with its state, the member states
of residence and an entity's register number are kept here). `dac7_duties` runs on the
worker's tick: the general notice (§ 22) once, then reminders while data is missing, and
after two unanswered reminders the hold (§ 23) on the helper's profile in accounts — not
matched, no new bookings; what they earned is still paid out. Swiss residents are never
reportable, reminded or held. `dac7_figures` reads each seller's quarters from the ledger's
statements; `dac7_report` writes the yearly statement per seller (PDF and CSV) and the
platform's report (CSV). The XML for the tax office (BZSt) is not built yet.

Thresholds (money-law §2, §5.1, §8.3): `thresholds` watches each helper's on-platform
turnover and net income and tells the helper (and lists in the back office) when a VAT or
AHV limit comes near or is crossed — the German EUR 100,000 crossing before the invoice
that crosses it is issued.

Compliance sits above payments and invoicing (it reads their selectors and reacts to their
stored events); the hold flag it sets lives in accounts, so the loop can read it.
"""
