"""Partner cases: create, cancel, notes, contacts, escalation, SLA, case webhooks, reports."""
