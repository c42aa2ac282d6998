"""Settings of batch dispatch (dispatch/batch.py), read from the environment; settings.py
takes them in."""

from __future__ import annotations

import os

__all__ = ["QUARTIER_DISPATCH_BATCH_MIN", "QUARTIER_DISPATCH_BATCH_PER_HELPER"]

# Once this many fixed-price partner cases wait for their first wave at once, one round
# assigns them together; fewer go case by case. 0 turns batch dispatch off.
QUARTIER_DISPATCH_BATCH_MIN = int(os.environ.get("QUARTIER_DISPATCH_BATCH_MIN", "10"))
# Cases one helper is assigned in one round (never more than their free invitation slots):
# one person is in one place at a time; what the round cannot place goes on case by case.
QUARTIER_DISPATCH_BATCH_PER_HELPER = int(os.environ.get("QUARTIER_DISPATCH_BATCH_PER_HELPER", "1"))
