"""The scenario, loaded once per test process and copied into each test's database.

Loading the scenario runs the real use cases (the illustrative call's applications and reviews go
through the same permission and conflict checks as in the app), which costs one to four seconds a
load; over 500 tests start from it. Each test process (each xdist worker) loads it once, in a
transaction it rolls back, and keeps the rows it wrote; a test then gets the same rows copied in
(PostgreSQL's COPY, or one INSERT per table on SQLite), its sequences moved past them.

The copy is made only when every table holds what it held when the scenario was recorded (the same
number of rows and the same sum of ids: a test may create rows of its own before asking for the
scenario); otherwise the scenario is loaded the ordinary way. One difference is mended: after a
transactional test Django empties the tables and writes the content types and permissions again under
new ids, so those rows are written back under the ids the scenario's rows point to. Either way the test
sees the database a load gives, and ``load_scenario`` itself is still run, and checked, by the tests of
the loader.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, transaction

from dari.scenario.loader import load_scenario


@dataclass
class Table:
    name: str
    columns: list[str]
    rows_before: int
    rows: list[tuple] | bytes  # SQLite: the rows; PostgreSQL: COPY's text


@dataclass
class Snapshot:
    counts: dict[str, int]
    columns: dict[str, list[str]]
    state_before: dict[str, tuple[int, int]]  # each table's rows and sum of ids before the load
    fixed: dict[str, list[tuple] | bytes]  # the rows there before the load (content types, permissions)
    tables: list[Table]


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _columns() -> dict[str, list[str]]:
    with connection.cursor() as cursor:
        return {
            name: [column.name for column in connection.introspection.get_table_description(cursor, name)]
            for name in sorted(connection.introspection.table_names(cursor))
        }


@functools.cache
def _numbered(names: tuple[str, ...]) -> frozenset[str]:
    """The tables among ``names`` whose ``id`` is a number: a UUID has no sum on PostgreSQL
    (``django_tasks_database_dbtaskresult``)."""
    introspection = connection.introspection
    with connection.cursor() as cursor:
        return frozenset(
            name
            for name in names
            for column in introspection.get_table_description(cursor, name)
            if column.name == "id" and "UUID" not in introspection.get_field_type(column.type_code, column)
        )


def _state(columns: dict[str, list[str]]) -> dict[str, tuple[int, int]]:
    """Each table's number of rows and sum of ids (a numbered id), in one query."""
    names = list(columns)
    numbered = _numbered(tuple(names))
    query = " UNION ALL ".join(
        f"SELECT {index}, COUNT(*), {'COALESCE(SUM(id), 0)' if name in numbered else '0'} FROM {_quote(name)}"
        for index, name in enumerate(names)
    )
    with connection.cursor() as cursor:
        cursor.execute(query)
        return {names[index]: (count, int(ids)) for index, count, ids in cursor.fetchall()}


def _read(table: str, columns: list[str]) -> list[tuple] | bytes:
    names = ", ".join(_quote(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            buffer = io.BytesIO()
            with cursor.cursor.copy(f"COPY (SELECT {names} FROM {_quote(table)}) TO STDOUT") as copy:
                for chunk in copy:
                    buffer.write(chunk)
            return buffer.getvalue()
        cursor.execute(f"SELECT {names} FROM {_quote(table)}")
        return [tuple(row) for row in cursor.fetchall()]


def _content(table: str, columns: list[str]) -> list:
    rows = _read(table, columns)
    return sorted(rows.splitlines()) if isinstance(rows, bytes) else sorted(map(repr, rows))


def _load_and_record() -> Snapshot:
    """Load the scenario and record what it wrote."""
    columns = _columns()
    state = _state(columns)
    before = {name: _content(name, names) for name, names in columns.items()}
    fixed = {name: _read(name, columns[name]) for name, (rows, _ids) in state.items() if rows}
    counts = load_scenario()
    tables = [
        Table(name, names, len(before[name]), _read(name, names))
        for name, names in columns.items()
        if _content(name, names) != before[name]
    ]
    return Snapshot(counts=counts, columns=columns, state_before=state, fixed=fixed, tables=tables)


def take_snapshot() -> Snapshot:
    """Load the scenario in a transaction that is rolled back, and keep what it wrote. Run once per
    test process, outside any test's transaction (a session fixture)."""
    with transaction.atomic():
        snapshot = _load_and_record()
        transaction.set_rollback(True)
    return snapshot


def _write(cursor, table: str, columns: list[str], rows: list[tuple] | bytes) -> None:
    names = ", ".join(_quote(column) for column in columns)
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {_quote(table)} ({names}) FROM STDIN") as copy:
            copy.write(rows)
    else:
        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(f"INSERT INTO {_quote(table)} ({names}) VALUES ({marks})", rows)


def _copy_in(snapshot: Snapshot, moved: list[str]) -> None:
    """Write the fixed rows of the ``moved`` tables back under their recorded ids, then the scenario's."""
    emptied = moved + [table.name for table in snapshot.tables if table.rows_before]
    with transaction.atomic(), connection.cursor() as cursor:
        for name in emptied:
            cursor.execute(f"DELETE FROM {_quote(name)}")
        for name in moved:
            _write(cursor, name, snapshot.columns[name], snapshot.fixed[name])
        for table in snapshot.tables:
            _write(cursor, table.name, table.columns, table.rows)
        written = set(emptied) | {table.name for table in snapshot.tables}
        models = [
            model for model in apps.get_models(include_auto_created=True) if model._meta.db_table in written
        ]
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
    if moved:
        ContentType.objects.clear_cache()


def scenario_in_test_database(snapshot: Snapshot) -> dict[str, int]:
    """The scenario, in the current test's database; returns the loader's counts."""
    state = _state(snapshot.columns)
    moved = [name for name, found in state.items() if found != snapshot.state_before.get(name)]
    same_rows = all(state[name][0] == snapshot.state_before.get(name, (None,))[0] for name in moved)
    if same_rows and all(name in snapshot.fixed for name in moved):
        _copy_in(snapshot, moved)
        return dict(snapshot.counts)
    return load_scenario()
