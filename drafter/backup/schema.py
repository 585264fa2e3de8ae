"""Which tables and rows make up one negotiation, derived from the metadata's foreign keys.

A table is *owned* by a negotiation when one of its foreign keys leads, directly or through
other owned tables, to ``negotiations``. A table that owned rows refer to but that does not
itself lead to a negotiation (users, delegations) is *shared*: its rows are matched in the
target database by their natural key (a single-column unique key such as ``email``).
Columns and tables added later are carried without naming them here.

Two marks in the models steer this: a table with ``info={"backup": "skip"}`` holds transient
rows that are never carried, and a column with ``info={"refers_to": "paragraphs"}`` holds ids
of that table (one, or a JSON list) without a foreign key; they are remapped on restore like
foreign keys. ``REFERENCES`` names such columns of models that do not carry the mark.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import re
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import sqlalchemy as sa

ROOT = "negotiations"
#: (table, id column) -> column naming the model of the object: an id that no foreign key describes
POLYMORPHIC = {("audit_events", "object_id"): "object_type"}
#: (table, column) -> the table whose ids a column holds without a foreign key (so that the row outlives them)
REFERENCES = {("audit_events", "revision_id"): "revisions"}
#: columns of shared tables that hold credentials, carried only with --with-accounts
SECRET_COLUMN = re.compile(r"password|secret|token|otp", re.IGNORECASE)


@dataclass
class Plan:
    """The tables of one negotiation, in an order where every table comes after those it refers to."""

    owned: list[sa.Table]
    shared: list[sa.Table]
    #: shared table name -> the column that identifies a row across databases
    natural_keys: dict[str, str] = field(default_factory=dict)

    @property
    def names(self) -> set[str]:
        return {t.name for t in self.owned} | {t.name for t in self.shared}


def plan(metadata: sa.MetaData) -> Plan:
    """Return the owned and shared tables of a negotiation in this schema."""
    owned: set[str] = {ROOT}
    tables = [t for t in metadata.sorted_tables if t.info.get("backup") != "skip"]
    changed = True
    while changed:
        changed = False
        for t in tables:
            if t.name not in owned and any(fk.column.table.name in owned for fk in _foreign_keys(t)):
                owned.add(t.name)
                changed = True
    ordered = [t for t in tables if t.name in owned]
    # polymorphic ids are remapped from every other table's ids, so those tables go last
    ordered.sort(key=lambda t: any(name == t.name for name, _ in POLYMORPHIC))
    shared_names = {fk.column.table.name for t in ordered for fk in _foreign_keys(t)} - owned
    shared = [t for t in tables if t.name in shared_names]
    return Plan(ordered, shared, {t.name: natural_key(t) for t in shared})


def _foreign_keys(table: sa.Table) -> list[sa.ForeignKey]:
    """Return a table's foreign keys other than those to itself."""
    return [fk for fk in table.foreign_keys if fk.column.table is not table]


def natural_key(table: sa.Table) -> str:
    """Return the single column other than the primary key that is unique in a shared table."""
    for c in table.columns:
        if c.unique and not c.primary_key:
            return c.name
    for con in table.constraints:
        if isinstance(con, sa.UniqueConstraint) and len(con.columns) == 1:
            return next(iter(con.columns)).name
    raise RuntimeError(f"table {table.name} is shared by negotiations but has no unique column to match rows by")


def selection(p: Plan, negotiation_id: int) -> dict[str, sa.Select]:
    """Return, per table, a query of the ids of the negotiation's rows."""
    ids: dict[str, sa.Select] = {}
    for t in p.owned:
        pk = id_column(t)
        if t.name == ROOT:
            ids[t.name] = sa.select(pk).where(pk == negotiation_id)
            continue
        fk = parent_key(t, ids)
        ids[t.name] = sa.select(pk).where(fk.parent.in_(ids[fk.column.table.name]))
    for s in p.shared:
        refs = [
            sa.select(fk.parent).where(id_column(t).in_(ids[t.name]), fk.parent.is_not(None))
            for t in p.owned
            for fk in _foreign_keys(t)
            if fk.column.table is s
        ]
        ids[s.name] = sa.select(id_column(s)).where(id_column(s).in_(sa.union(*refs)))
    return ids


def parent_key(table: sa.Table, owned: dict[str, Any]) -> sa.ForeignKey:
    """Return the foreign key that makes a row part of the negotiation.

    A key straight to the negotiation comes first, then a required key to another owned
    table, so that each table is reached by one path and the queries stay linear.
    """
    keys = [fk for fk in _foreign_keys(table) if fk.column.table.name in owned]
    keys.sort(key=lambda fk: (fk.column.table.name != ROOT, fk.parent.nullable, fk.parent.name))
    return keys[0]


def id_column(table: sa.Table) -> sa.Column:
    """Return a table's single-column primary key."""
    pk = list(table.primary_key.columns)
    if len(pk) != 1:
        raise RuntimeError(f"table {table.name} has no single-column primary key to remap")
    return pk[0]


def carried_columns(table: sa.Table, p: Plan, *, with_accounts: bool) -> list[sa.Column]:
    """Return the columns of a table that a backup holds."""
    secret = table in p.shared and not with_accounts
    return [c for c in table.columns if not (secret and SECRET_COLUMN.search(c.name))]


def encode(value: Any) -> Any:
    """Return a database value as JSON data."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return value


def decode(column: sa.Column, value: Any) -> Any:
    """Return JSON data as the value the column's type takes (UTC datetimes, enums, bytes ...)."""
    if value is None:
        return None
    type_ = column.type
    while isinstance(type_, sa.types.TypeDecorator):  # its python_type is "object": ask the type it wraps
        type_ = type_.impl_instance
    try:
        kind = type_.python_type
    except NotImplementedError:
        return value
    if kind is dt.datetime:
        return dt.datetime.fromisoformat(value)
    if kind is dt.date:
        return dt.date.fromisoformat(value)
    if kind is dt.time:
        return dt.time.fromisoformat(value)
    if isinstance(kind, type) and issubclass(kind, Enum):
        return kind(value)
    if kind is bytes:
        return base64.b64decode(value)
    if kind is decimal.Decimal:
        return decimal.Decimal(value)
    return value
