"""The API's request parser: django-ninja's, refusing NUL characters in any text.

PostgreSQL cannot store a NUL in a text column (and SQLite would keep it where no one
expects it), so one place refuses them for every operation: JSON bodies (keys and string
values at any depth) and form and query data. The answer is 422 problem+json naming the
field, before any handler or service runs.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from ninja.parser import Parser

from quartier.errors import InvalidInput

NUL = "\x00"
MESSAGE = "Text must not contain NUL characters."


def _nul_path(value: Any, path: str) -> str | None:
    """The path of the first string holding a NUL, or None."""
    if isinstance(value, str):
        return path if NUL in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            here = f"{path}.{key}" if path else str(key)
            if NUL in str(key):
                return here
            if (found := _nul_path(item, here)) is not None:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            if (found := _nul_path(item, f"{path}.{index}" if path else str(index))) is not None:
                return found
    return None


def refuse_nul(value: Any) -> None:
    if (path := _nul_path(value, "")) is not None:
        raise InvalidInput(MESSAGE, code="nul_character", errors={path or "body": [MESSAGE]})


class TextParser(Parser):
    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = super().parse_body(request)
        refuse_nul(data)
        return data

    def parse_querydict(
        self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        result = super().parse_querydict(data, list_fields, request)
        refuse_nul(result)
        return result
