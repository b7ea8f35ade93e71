"""Keyset pagination: a table's order as a list of sort keys, the rows after (or before)
a cursor's row in that order, on SQLite and PostgreSQL alike (NULLs last either way).

The last keys must make the order total (a name, then the id), so a cursor names exactly
one place in the table."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, and_, literal, or_


@dataclass(frozen=True)
class SortKey:
    column: object
    descending: bool
    nullable: bool  # NULLs sort last in either direction


def ordered(stmt: Select, keys: list[SortKey], backwards: bool = False) -> Select:
    """The statement in the keys' order (reversed, backwards), with the first keys' values
    added as columns for the cursor (the name and id are selected already)."""
    order = []
    for key in keys:
        descending = key.descending != backwards
        term = key.column.desc() if descending else key.column.asc()
        if key.nullable:  # portable: SQLite and PostgreSQL both understand these
            term = term.nulls_first() if backwards else term.nulls_last()
        order.append(term)
    return stmt.add_columns(*(k.column for k in keys[:-2])).order_by(*order)


def past(key: SortKey, value, backwards: bool):
    """The key's values strictly after `value` in the table's order (or before it)."""
    column = key.column
    if value is None:  # NULLs come last
        return column.is_not(None) if backwards and key.nullable else None
    beyond = (column < value) if key.descending != backwards else (column > value)
    return or_(beyond, column.is_(None)) if key.nullable and not backwards else beyond


def beyond(keys: list[SortKey], values: list, backwards: bool = False):
    """Rows after the cursor's row in the table's order (before it, backwards)."""
    alternatives = []
    for index, key in enumerate(keys):
        step = past(key, values[index], backwards)
        if step is None:
            continue
        equal = [k.column.is_(None) if v is None else k.column == v
                 for k, v in zip(keys[:index], values[:index], strict=True)]
        alternatives.append(and_(*equal, step))
    return or_(*alternatives) if alternatives else literal(False)
