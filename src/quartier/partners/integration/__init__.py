"""The partner integration: API keys, authentication, idempotency, rate limits, webhooks."""
