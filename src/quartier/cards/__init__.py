"""Cards: paying a booking by card or TWINT through a payment service provider (Stripe
Connect), when `STRIPE_API_KEY` and `STRIPE_WEBHOOK_SECRET` are set (off by default).

- Each helper is a connected account at the provider (`services.connect_onboarding_start`,
  from the payout profile); the provider tells us when it may take payments.
- Checkout offers card (and TWINT: CHF only, up to CHF 5,000) when the helper's account is
  ready. The booking keeps bookings' method "transfer" (cashless, to the helper's own
  account) plus a `CardChoice`; the `job.settled` payload names `card` or `twint` through
  `bookings.settlement.METHOD_REFINERS`.
- A card is saved at checkout on the provider's page and charged off-session when the job
  is settled (`charging.py`): authorisations last about 7 days while jobs may be a year
  ahead. TWINT has no manual capture on the provider: it is created at settlement and the
  customer pays it in the TWINT app.
- Every charge is a direct charge on the helper's connected account with Quartier's
  commission + VAT as the application fee: the customer's money is held by the provider for
  the helper, never by Quartier. Refunds (an operator's dispute decision) and chargebacks go
  through the provider and are mirrored in the ledger (`ledger.py`).
- Webhooks are verified with the official `stripe` SDK and each event id is handled once
  (`webhooks.py`).
"""
