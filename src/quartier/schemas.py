"""API Out schemas derived from the selectors' views, so that each shape is declared once.

A selector returns a frozen dataclass: what the web pages and the API both read. The API's Out
schema is built from it (`out_schema`): the same fields in the same order, all required,
nested views replaced by their schemas, plus the descriptions the OpenAPI document shows.
Handlers return the view itself; ninja validates it against the schema on the way out.
"""

from __future__ import annotations

import dataclasses
import functools
import operator
import types
import typing
from collections.abc import Mapping
from typing import Any

from ninja import Schema
from pydantic import Field, create_model


def _swap(annotation: Any, nested: Mapping[type, type[Schema]]) -> Any:
    """`annotation` with every nested view replaced by its schema (in lists, unions, ...)."""
    if isinstance(annotation, type) and annotation in nested:
        return nested[annotation]
    args = typing.get_args(annotation)
    if not args:
        return annotation
    swapped = tuple(_swap(arg, nested) for arg in args)
    origin = typing.get_origin(annotation)
    if origin in (types.UnionType, typing.Union):
        return functools.reduce(operator.or_, swapped)
    return origin[swapped]


def out_schema(
    view: type,
    *,
    name: str,
    descriptions: Mapping[str, str] | None = None,
    examples: Mapping[str, list[Any]] | None = None,
    nested: Mapping[type, type[Schema]] | None = None,
) -> type[Schema]:
    """The Out schema `name` of the dataclass `view`."""
    hints = typing.get_type_hints(view)
    descriptions, examples, nested = descriptions or {}, examples or {}, nested or {}
    unknown = (set(descriptions) | set(examples)) - {f.name for f in dataclasses.fields(view)}
    if unknown:
        raise TypeError(f"{view.__name__} has no fields {sorted(unknown)}")
    fields: dict[str, Any] = {}
    for field in dataclasses.fields(view):
        extra: dict[str, Any] = {}
        if field.name in descriptions:
            extra["description"] = descriptions[field.name]
        if field.name in examples:
            extra["examples"] = examples[field.name]
        fields[field.name] = (_swap(hints[field.name], nested), Field(**extra))
    schema: type[Schema] = create_model(name, __base__=Schema, __module__=view.__module__, **fields)
    return schema


def list_of(schema: type[Schema]) -> Any:
    """`list[schema]` for a `response=`: a derived schema is a value, not a type to mypy."""
    return list[schema]  # type: ignore[valid-type]
