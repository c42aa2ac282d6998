"""Argon2 at its cheapest, for the tests only.

The app hashes passwords with Argon2 at Django's cost (100 MiB, 2 passes, 8 lanes): about
0.15 s of CPU per hash or check on purpose, and the suite logs in, signs up, changes and
checks passwords hundreds of times. This hasher writes the same `argon2$...` format with the
smallest parameters (0.05 ms). Its hashes carry their parameters, so a server started by a
test (gunicorn, supervisord, with the app's own settings) checks them all the same and
upgrades them to the full cost at the first log-in, as it would an old hash.
"""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class CheapArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 1
    memory_cost = 64  # KiB, the least for one lane (8 KiB a lane)
    parallelism = 1


# The setting during the tests (tests/conftest.py): the app's list behind the cheap hasher,
# which makes every new hash; a check costs what its hash says, and a cheap hash is kept.
PASSWORD_HASHERS = [
    "tests.hashers.CheapArgon2PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
