"""The `quartier` console command: Django's management commands under one name.

`quartier serve`, `quartier demo`, `quartier import postcodes` and every Django command
(`quartier migrate`, `quartier createsuperuser`, ...) are available.
"""

from __future__ import annotations

import os
import sys

ALIASES = {
    "serve": ["runserver", "--noreload"],
    "import": ["import_data"],
}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quartier.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in ALIASES:
        args = ALIASES[args[0]] + args[1:]
    execute_from_command_line(["quartier", *args])


if __name__ == "__main__":
    main()
