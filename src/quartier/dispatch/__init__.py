"""Dispatch: invite the best helpers for a new request in waves, widening until it is served."""
