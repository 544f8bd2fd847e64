"""The import engine: check every row, then write all of them in one transaction, or none.

An importer (one per kind: organizations, people, participants, outcomes) turns each row into a
*plan*: the object with its new values, what it held before (nothing for a new one) and the changed
fields, or problems (row number, column, reason in the active language). Rows are found by their
natural key (the ``key`` slug, or program and organization for a participant), so importing the same
file again plans no change and writes nothing.

:func:`run_import` checks every row first, outside any transaction, reporting progress as it goes;
a dry run stops there. Otherwise, when no row has a problem, the importer writes every plan in one
transaction with bulk statements and one audit entry per object written (bulk-created too), and
the callbacks registered with ``transaction.on_commit`` (the search index) run after it.
Rows changed by someone between the check and the write make the import fail with ``Conflict``.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache
from operator import attrgetter, itemgetter

from django.contrib.contenttypes.models import ContentType
from django.core import validators
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, connections, models, transaction
from django.db.models import signals
from django.db.models.base import ModelState
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dari.accounts.audit import Actor
from dari.accounts.models import AuditEntry
from dari.core.services import Conflict, require
from dari.core.text import clean_text
from dari.core.time import EARLIEST_DATE, LATEST_DATE, validate_in_range

from ..tables import Table, read_boolean, read_date, read_number, read_text, unneutralise

#: progress(done, total, message, phase="check"): ``phase`` is "check" (done of the rows), "write"
#: (done of the rows to write, outside the transaction: before and after it) or "writing" (inside the
#: write transaction, where progress must not go through the import's own connection: see
#: ``exchange.progress``).
ProgressCallback = Callable[..., None]
CHECK_CHUNK = 1000
WRITE_BATCH = 2000
#: New rows go to PostgreSQL with COPY (False: with executemany, as to SQLite; for measuring).
COPY_ON_POSTGRESQL = True
#: After an import that wrote at least this many rows, PostgreSQL's statistics of the tables it
#: wrote are read again (ANALYZE) once it has committed: until autovacuum comes round (never, where it
#: is off), the planner would read a table grown by 30,000 rows as the few it held, and group the
#: KPIs' outcomes by a sort on disk instead of a hash (benchmarks/results/kpi-speed-postgresql.md:
#: the public's dashboard at twice staff's time).
ANALYZE_AFTER_ROWS = 5000
#: The tables an import's write inserted into, with their rows (``tables_analysed_after``).
_written_rows: ContextVar[dict[str, int] | None] = ContextVar("import_written_rows", default=None)


@dataclass(frozen=True)
class Column:
    """One column of a kind's file: its header (the model field's name, ``name_ko``/``name_en`` for
    both languages), whether a row must fill it, its type (``text``, ``long_text``, ``date``,
    ``number``, ``boolean``, ``choice``, ``key`` of another object, ``keys`` separated by ``;``)
    and a help text for the template."""

    name: str
    type: str = "text"
    required: bool = False
    help: str = ""
    example: object = ""


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    message: str


@dataclass
class Report:
    """What an import did, or in a dry run would do."""

    kind: str
    dry_run: bool
    rows: int = 0
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    encoding: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict:
        data = asdict(self)
        data["ok"] = self.ok
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Report:
        values = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        values["problems"] = [Problem(**problem) for problem in data.get("problems", [])]
        return cls(**values)

    def problem_lines(self) -> list[str]:
        return [
            _("row %(row)d, %(column)s: %(message)s")
            % {"row": problem.row, "column": problem.column or "-", "message": problem.message}
            for problem in self.problems
        ]

    def summary(self) -> str:
        if self.dry_run:
            text = ngettext(
                "%(rows)d row checked: %(created)d to add, %(changed)d to change, %(unchanged)d unchanged.",
                "%(rows)d rows checked: %(created)d to add, %(changed)d to change, %(unchanged)d unchanged.",
                self.rows,
            )
        else:
            text = ngettext(
                "%(rows)d row imported: %(created)d added, %(changed)d changed, %(unchanged)d unchanged.",
                "%(rows)d rows imported: %(created)d added, %(changed)d changed, %(unchanged)d unchanged.",
                self.rows,
            )
        return text % asdict(self)


@dataclass
class Plan:
    row: int
    obj: object
    before: dict | None  # None: a new object
    changes: dict
    extra: dict = field(default_factory=dict)

    @property
    def is_new(self) -> bool:
        return self.before is None


class RowProblems(Exception):
    """Raised inside a row's check to stop it; the problems are already recorded."""


class Importer:
    """The base of one kind's importer. Subclasses declare ``kind`` and ``columns``
    and implement ``may_import``, ``prepare``, ``plan_row`` and ``write``."""

    kind: str = ""
    columns: tuple[Column, ...] = ()
    #: Columns an export adds that an import reads past (so that an export imports unchanged).
    ignored_columns: tuple[str, ...] = ()

    def __init__(self, actor: Actor, *, rates=None):
        self.actor = actor
        self.rates = rates
        self.problems: list[Problem] = []
        self.plans: list[Plan] = []
        self.unchanged = 0
        self.seen_keys: dict[tuple, int] = {}
        self.header: list[str] = []
        self._row = 0
        self._row_problems = 0
        self._row_columns: set[str] = set()

    # --- what a subclass provides ---

    @classmethod
    def may_import(cls, user) -> bool:
        raise NotImplementedError

    def prepare(self, records: list[tuple[int, dict]]) -> None:
        """Load, in a few queries, what the rows refer to."""

    def plan_row(self, row: dict) -> Plan | None:
        raise NotImplementedError

    def write(self, plans: list[Plan], progress: ProgressCallback) -> None:
        raise NotImplementedError

    # --- helpers for subclasses ---

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]

    def problem(self, column: str, message: str) -> None:
        self.problems.append(Problem(self._row, column, str(message)))
        self._row_problems += 1
        self._row_columns.add(column)

    def stop(self, column: str, message: str):
        self.problem(column, message)
        raise RowProblems

    def text(self, row: dict, name: str, *, multiline: bool = False) -> str:
        value = row.get(name, "")
        if type(value) is str:
            value = value.strip()
            if value.isascii() and value.isprintable():
                # Printable ASCII: nothing that clean_text refuses or removes.
                return unneutralise(value)
        try:
            return clean_text(read_text(row.get(name, "")), multiline=multiline)
        except ValidationError as error:
            self.problem(name, error.messages[0])
            return ""

    def date(self, row: dict, name: str):
        try:
            return read_date(row.get(name))
        except ValueError:
            self.problem(name, _("%(value)s is not a date; write it as 2024-01-18.") % {"value": row[name]})
        except OverflowError:
            self.problem(name, _("%(value)s is not a date; write it as 2024-01-18.") % {"value": row[name]})
        return None

    def number(self, row: dict, name: str):
        try:
            return read_number(row.get(name))
        except ValueError:
            self.problem(name, _("%(value)s is not a number.") % {"value": row[name]})
            return None

    def boolean(self, row: dict, name: str, default: bool) -> bool:
        try:
            value = read_boolean(row.get(name))
        except ValueError:
            self.problem(name, _("Write yes or no (true or false), not %(value)s.") % {"value": row[name]})
            return default
        return default if value is None else value

    def choice(self, row: dict, name: str, choices) -> str:
        """A value of ``choices`` (a ``TextChoices`` class or a list of values)."""
        if isinstance(choices, type):
            choices = choice_values(choices)
        value = self.text(row, name)
        if value and value not in choices:
            self.problem(
                name,
                _("%(value)s is not one of: %(choices)s.") % {"value": value, "choices": ", ".join(choices)},
            )
            return ""
        return value

    def validation_problems(self, error: ValidationError, default_column: str = "") -> None:
        if not hasattr(error, "error_dict"):
            for message in error.messages:
                self.problem(default_column, message)
            return
        for name, messages in error.message_dict.items():
            column = default_column if name == NON_FIELD_ERRORS else name
            if column in self._row_columns:
                continue  # what the cell's own reading said is enough
            for message in messages:
                self.problem(column, message)

    def validate(self, obj, fields: list[str], default_column: str = "") -> None:
        """The model's own field checks and ``clean`` for ``fields`` (not the uniqueness checks,
        which need a query per row: natural keys are checked against the loaded rows instead).

        Plain text fields (see ``text_checks``) are first checked by a few comparisons; only one
        that may be wrong, and every other field, goes through Django's ``clean_fields``, so a
        problem reads exactly as the model's own message."""
        plain, dated, decimal, other = field_checks(type(obj), tuple(fields))
        quick = quick_checks(type(obj), other)
        checked = [name for name in other if name not in quick_names(type(obj), other)]
        for name, attname, blank in dated:
            value = getattr(obj, attname)
            if not (type(value) is date and EARLIEST_DATE <= value <= LATEST_DATE) and not (
                value is None and blank
            ):
                checked.append(name)
        for name, attname, blank, max_digits, places in decimal:
            value = getattr(obj, attname)
            if value is None and blank:
                continue
            if not (
                type(value) is Decimal
                and value.is_finite()
                and value.as_tuple().exponent == -places
                and len(value.as_tuple().digits) <= max_digits
            ):
                checked.append(name)
        for name, attname, required, max_length, choices in plain:
            value = getattr(obj, attname)
            if type(value) is not str or (
                value
                and (
                    (max_length is not None and len(value) > max_length)
                    or "\x00" in value
                    or (choices is not None and value not in choices)
                )
            ):
                checked.append(name)
            elif not value and required:
                checked.append(name)
        for name, attname, test in quick:
            if not test(getattr(obj, attname)):
                checked.append(name)
        if checked:
            exclude = [f.name for f in obj._meta.fields if f.name not in checked]
            try:
                obj.clean_fields(exclude=exclude)
            except ValidationError as error:
                self.validation_problems(error, default_column)
        try:
            obj.clean()
        except ValidationError as error:
            self.validation_problems(error, default_column)

    def natural_key(self, row: dict) -> str:
        """The row's ``key``, claimed for this row (a key appears once in a file)."""
        key = self.text(row, "key")
        if not key:
            self.stop("key", _("Give the key."))
        self.claim_key((key,), "key")
        return key

    @staticmethod
    def by_key(queryset, keys) -> dict:
        """The rows of ``queryset`` whose ``key`` is among ``keys``, by key, in a few queries."""
        found = {}
        for chunk in chunked(keys):
            for obj in queryset.filter(key__in=chunk):
                found[obj.key] = obj
        return found

    def claim_key(self, key: tuple, column: str) -> None:
        """A natural key appears once in a file."""
        first = self.seen_keys.setdefault(key, self._row)
        if first != self._row:
            self.stop(column, _("The same key is already on row %(row)d.") % {"row": first})

    # --- the check, row by row ---

    def check(self, records: list[tuple[int, dict]], progress: ProgressCallback) -> None:
        total = len(records)
        for index, (number, row) in enumerate(records):
            self._row, self._row_problems, self._row_columns = number, 0, set()
            try:
                plan = self.plan_row(row)
            except RowProblems:
                plan = None
            if self._row_problems:
                continue
            if plan is None or (not plan.is_new and not plan.changes and not plan.extra.get("changed")):
                self.unchanged += 1
            else:
                plan.row = number
                self.plans.append(plan)
            if (index + 1) % CHECK_CHUNK == 0:
                progress(
                    index + 1,
                    total,
                    _("Checking row %(row)d of %(total)d") % {"row": index + 1, "total": total},
                )


#: Validators whose whole check ``validate`` makes itself for a plain text field.
TEXT_VALIDATORS = (validators.MaxLengthValidator, validators.ProhibitNullCharactersValidator)


@cache
def field_checks(model, fields: tuple[str, ...]) -> tuple[tuple, ...]:
    """How ``Importer.validate`` checks ``fields`` of ``model``: ``(plain, dated, decimal, other)``.
    ``plain``: the CharField and TextField (exactly those classes) whose only validators are the
    maximum length and the NUL check, as ``(name, attname, required, max_length, choice values or
    None)``; ``dated``: the DateField whose only validator is ``validate_in_range``, as ``(name,
    attname, blank)``; ``decimal``: the DecimalField whose only validator is the digits check, as
    ``(name, attname, blank, max_digits, decimal_places)``; ``other``: the names of the rest, which
    ``clean_fields`` checks. Foreign keys are left out: their rows were looked up in bulk already, and
    their own check is a query per row."""
    plain, dated, decimal, other = [], [], [], []
    for field_ in model._meta.fields:
        if field_.name not in fields or field_.is_relation:
            continue
        found = field_.validators
        if type(field_) in (models.CharField, models.TextField) and all(
            isinstance(validator, TEXT_VALIDATORS) for validator in found
        ):
            choices = frozenset(str(key) for key, _label in field_.flatchoices) if field_.choices else None
            plain.append((field_.name, field_.attname, not field_.blank, field_.max_length, choices))
        elif type(field_) is models.DateField and not field_.choices and found == [validate_in_range]:
            dated.append((field_.name, field_.attname, field_.blank and field_.null))
        elif (
            type(field_) is models.DecimalField
            and not field_.choices
            and all(isinstance(validator, validators.DecimalValidator) for validator in found)
        ):
            decimal.append(
                (
                    field_.name,
                    field_.attname,
                    field_.blank and field_.null,
                    field_.max_digits,
                    field_.decimal_places,
                )
            )
        else:
            other.append(field_.name)
    return tuple(plain), tuple(dated), tuple(decimal), tuple(other)


@cache
def quick_checks(model, names: tuple[str, ...]) -> tuple[tuple, ...]:
    """For the fields ``field_checks`` leaves to ``clean_fields``, a test that a value surely passes
    it, as ``(name, attname, test)``: a value the test does not pass goes through ``clean_fields``
    (which then reports it in the model's own words, or passes it). A boolean holding True or False;
    a slug (or other text field checked only by plain regular expressions and its length) that
    matches them; an empty value of a blank text or JSON field (``clean_fields`` runs no validator
    on an empty value)."""
    checks = []
    for name in names:
        field_ = model._meta.get_field(name)
        test = quick_test(field_)
        if test is not None:
            checks.append((name, field_.attname, test))
    return tuple(checks)


@cache
def quick_names(model, names: tuple[str, ...]) -> frozenset[str]:
    return frozenset(name for name, _attname, _test in quick_checks(model, names))


def quick_test(field_):
    if field_.choices:
        return None
    if type(field_) is models.BooleanField:
        return lambda value: value is True or value is False
    text = isinstance(field_, models.CharField | models.TextField)
    empty_ok = field_.blank and (text or isinstance(field_, models.JSONField))
    regexes, max_length, other = [], None, False
    for validator in field_.validators:
        if type(validator) is validators.RegexValidator and not validator.inverse_match:
            regexes.append(validator.regex.search)  # the compiled pattern's, not the lazy proxy's
        elif type(validator) is validators.MaxLengthValidator:
            max_length = validator.limit_value
        elif not isinstance(validator, validators.ProhibitNullCharactersValidator):
            other = True
    plain_text = text and not other and type(field_) in (models.CharField, models.SlugField, models.TextField)

    def test(value):
        if type(value) is str and value and plain_text:
            return (
                (max_length is None or len(value) <= max_length)
                and "\x00" not in value
                and all(search(value) for search in regexes)
            )
        return empty_ok and (value == "" or value == []) and type(value) in (str, list)

    return test if (plain_text or empty_ok) else None


@cache
def choice_values(choices: type) -> tuple[str, ...]:
    """``choices.values``, which Django builds again at each call, once."""
    return tuple(choices.values)


def chunked(values, size: int = 900):
    """``values`` sorted, in lists of ``size``: an ``IN`` of at most that many (SQLite's limit)."""
    values = sorted(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def keys_of(records, column: str = "key") -> set[str]:
    return {str(row.get(column, "")).strip() for _number, row in records} - {""}


def check_header(importer: Importer, header: list[str]) -> list[Problem]:
    problems = []
    known = set(importer.column_names) | set(importer.ignored_columns)
    for name in header:
        if name and name not in known:
            problems.append(
                Problem(
                    1,
                    name,
                    _("Unknown column. The columns are: %(columns)s.")
                    % {"columns": ", ".join(importer.column_names)},
                )
            )
    seen = set()
    for name in header:
        if name in seen and name:
            problems.append(Problem(1, name, _("This column appears twice.")))
        seen.add(name)
    for column in importer.columns:
        if column.required and column.name not in header:
            problems.append(Problem(1, column.name, _("This column is missing.")))
    return problems


_paused_lock = threading.Lock()
_paused = {"count": 0, "was_enabled": False}


@contextmanager
def collection_paused():
    """Python's cyclic garbage collector paused while an import holds its rows, plans and objects:
    each full collection walks every one of them again (a quarter of a large import's time). The
    import's objects are freed by their reference counts as usual; what cycles there are wait for the
    collector, enabled again as soon as the last running import ends."""
    with _paused_lock:
        if _paused["count"] == 0:
            _paused["was_enabled"] = gc.isenabled()
            gc.disable()
        _paused["count"] += 1
    try:
        yield
    finally:
        with _paused_lock:
            _paused["count"] -= 1
            if _paused["count"] == 0 and _paused["was_enabled"]:
                gc.enable()


def run_import(
    actor: Actor,
    importer_class: type[Importer],
    table: Table,
    *,
    dry_run: bool,
    progress: ProgressCallback | None = None,
    rates=None,
) -> Report:
    """Check every row of ``table`` and, unless ``dry_run`` or a row has a problem, write them all in
    one transaction. Raises ``PermissionDenied`` when the actor may not import this kind at all, and
    ``Conflict`` when a row changed between the check and the write. Returns the report."""
    require(
        actor.is_system or importer_class.may_import(actor.user),
        _("You may not import %(kind)s.") % {"kind": importer_class.kind},
    )
    progress = progress or (lambda done, total, message, phase="check": None)
    report = Report(kind=importer_class.kind, dry_run=dry_run, encoding=table.encoding)
    report.problems = check_header(importer_class(actor), table.header)
    records = list(table.records())
    report.rows = len(records)
    if report.problems:
        return report
    importer = importer_class(actor, rates=rates)
    importer.header = table.header
    progress(0, len(records), _("Checking %(rows)d rows") % {"rows": len(records)})
    with collection_paused():
        return check_and_write(importer, records, table, report, dry_run=dry_run, progress=progress)


def check_and_write(importer, records, table, report, *, dry_run, progress) -> Report:
    """``run_import``'s check of every row and, unless a dry run or a row has a problem, the write."""
    importer.prepare(records)
    importer.check(records, progress)
    order = {name: index for index, name in enumerate(table.header)}
    report.problems = sorted(
        importer.problems, key=lambda problem: (problem.row, order.get(problem.column, -1))
    )
    report.created = sum(1 for plan in importer.plans if plan.is_new)
    report.changed = len(importer.plans) - report.created
    report.unchanged = importer.unchanged
    progress(len(records), len(records), _("Checked %(rows)d rows") % {"rows": len(records)})
    if dry_run or report.problems or not importer.plans:
        return report
    to_write = len(importer.plans)
    progress(0, to_write, _("Writing %(rows)d rows") % {"rows": to_write}, phase="write")
    try:
        with tables_analysed_after(), transaction.atomic(), write_cache():
            importer.write(
                importer.plans,
                lambda done, total, message: progress(done, total, message, phase="writing"),
            )
    except IntegrityError:
        # Someone added a row with one of the new keys between the check and the write.
        raise Conflict(_("The data changed while the file was imported. Check the file again.")) from None
    progress(to_write, to_write, _("Wrote %(rows)d rows") % {"rows": to_write}, phase="write")
    return report


# --- writing -----------------------------------------------------------------------------------------


@contextmanager
def tables_analysed_after():
    """Record the tables ``insert_values`` writes inside the block; when it ends without an error and
    they took ``ANALYZE_AFTER_ROWS`` rows or more, ANALYZE them on PostgreSQL (SQLite's planner keeps
    no statistics unless asked, and Dari never asks it)."""
    written: dict[str, int] = {}
    token = _written_rows.set(written)
    try:
        yield
    finally:
        _written_rows.reset(token)
    if connection.vendor == "postgresql" and sum(written.values()) >= ANALYZE_AFTER_ROWS:
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE " + ", ".join(quote(table) for table in sorted(written)))


#: SQLite's page cache for an import's write, in KiB (SQLite's default is 2,000 KiB): a large
#: import's new pages stay in memory until the commit instead of spilling to the write-ahead log
#: page by page in the middle of the transaction (and being read back for the next index insert).
#: Memory is taken only as pages are used, and given back when the write ends.
WRITE_CACHE_KIB = 256 * 1024


@contextmanager
def write_cache():
    """A larger SQLite page cache on the import's connection for its write (see
    ``WRITE_CACHE_KIB``), the connection's own setting back afterwards; nothing on PostgreSQL,
    whose server has its own."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (before,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = -{WRITE_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


#: Default values a new instance may share with every other (as ``Model.__init__`` shares a field's
#: non-callable default); any other default is made afresh for each instance.
IMMUTABLE = (str, int, float, bool, Decimal, date, type(None), tuple, frozenset)


@cache
def blank_instance(model) -> tuple[dict, tuple] | None:
    """How :func:`new_instance` makes a ``model``: its fields' shared defaults by attname and the
    ``(attname, get_default)`` of the others; None when ``Model.__init__`` does more than set them
    (signals listening to its creation, a field whose descriptor does something on assignment)."""
    from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
    from django.db.models.query_utils import DeferredAttribute

    if signals.pre_init.has_listeners(model) or signals.post_init.has_listeners(model):
        return None
    for field_ in model._meta.fields:
        if not field_.concrete or type(model.__dict__.get(field_.attname)) not in (
            DeferredAttribute,
            ForeignKeyDeferredAttribute,
        ):
            return None
    return split_defaults(model._meta.fields)


def split_defaults(fields) -> tuple[dict, tuple]:
    """The defaults of ``fields`` as ``(shared, fresh)``: ``{attname: value}`` of those every new
    row may share (made once), and ``(attname, get_default)`` of those made afresh for each."""
    shared, fresh = {}, []
    for field_ in fields:
        default = field_.get_default()
        if isinstance(default, IMMUTABLE) and not (field_.has_default() and callable(field_.default)):
            shared[field_.attname] = default
        else:
            fresh.append((field_.attname, field_.get_default))
    return shared, tuple(fresh)


def new_instance(model, **values):
    """``model(**values)`` for plain field values by attname (no related objects, no properties):
    every other field at its default, as ``Model.__init__`` sets them, without its per-field
    bookkeeping, which costs more than the rest of a row's check in a large import."""
    blank = blank_instance(model)
    if blank is None:
        return model(**values)
    shared, fresh = blank
    obj = model.__new__(model)
    obj._state = ModelState()
    state = obj.__dict__
    state.update(shared)
    for attname, get_default in fresh:
        state[attname] = get_default()
    state.update(values)
    return obj


def check_versions(model, plans: list[Plan]) -> None:
    """Lock the rows the import changes and refuse (``Conflict``) if any moved since the check."""
    seen = {
        plan.obj.pk: plan.extra["version"] for plan in plans if not plan.is_new and "version" in plan.extra
    }
    for chunk in chunked(seen):
        current = dict(
            model._default_manager.select_for_update().filter(pk__in=chunk).values_list("pk", "version")
        )
        if any(current.get(pk) != seen[pk] for pk in chunk):
            raise Conflict(
                _("Someone changed some of these rows while the file was checked. Check it again.")
            )


def write_audit(actor: Actor, action: str, items, *, model=None) -> None:
    """One audit entry per ``(object, changes)``, as ``log_action`` writes it, inserted in bulk; an
    item may carry the object's label third when the caller has it (``str(obj)`` otherwise). With
    ``model``, each item is ``(id, changes, label)`` of a row of that model written without an
    instance (``insert_rows``)."""
    content_types: dict = {}
    now = timezone.now()
    actor_id = getattr(actor.user, "pk", None)
    actor_label = actor.label
    rows = []
    for item in items:
        if model is not None:
            pk, changes, label = item
            of = model
        else:
            obj, changes = item[0], item[1]
            label = item[2] if len(item) > 2 else str(obj)
            pk, of = obj.pk, type(obj)
        if of not in content_types:
            content_types[of] = ContentType.objects.get_for_model(of, for_concrete_model=False).pk
        rows.append(
            {
                "actor_id": actor_id,
                "actor_label": actor_label,
                "action": action,
                "object_type_id": content_types[of],
                "object_id": pk,
                "object_label": label[:300],
                "changes": changes,
                "ip_address": actor.ip_address,
                "created_at": now,
            }
        )
    insert_values(AuditEntry, rows)


def allocate_ids(model, count: int) -> list[int]:
    """``count`` new ids of ``model``'s table, taken inside the import's transaction, for rows the
    import inserts with their ids (so that none is read back by a query afterwards). PostgreSQL: the
    next values of the id column's sequence (other writers keep taking theirs; the ids need not
    follow each other). SQLite: the ids after the largest ever given (``AUTOINCREMENT``'s rule), the
    writer's lock being held, as by any write, until the commit: an explicit id above it moves the
    table's sequence on, as an id SQLite chose would have."""
    if not count:
        return []
    table = model._meta.db_table
    column = model._meta.pk.column
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, column, count],
            )
            return [pk for (pk,) in cursor.fetchall()]
        cursor.execute(f"SELECT MAX({quote(column)}) FROM {quote(table)}")
        (largest,) = cursor.fetchone()
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        found = cursor.fetchone()
    start = max(largest or 0, found[0] if found else 0) + 1
    return list(range(start, start + count))


def insert_many(model, objects: list) -> None:
    """INSERT the new ``objects`` with ``executemany`` (COPY on PostgreSQL), each with an id of its
    own (``allocate_ids``, set on the object): each value prepared by its field as ``bulk_create``
    does (auto_now and auto_now_add set), without the ORM's per-row SQL compilation, which costs
    more than the write itself here."""
    fields = [field_ for field_ in model._meta.concrete_fields if not field_.primary_key]
    # A field's pre_save reads the attribute, but for auto_now and auto_now_add, which set the time
    # of the write: one time for every object of the write, set on each as pre_save would.
    timed = [
        field_.attname
        for field_ in fields
        if getattr(field_, "auto_now", False) or getattr(field_, "auto_now_add", False)
    ]
    now = timezone.now()
    for obj, pk in zip(objects, allocate_ids(model, len(objects)), strict=True):
        obj.pk = pk
        obj._state.adding = False
        for attname in timed:
            setattr(obj, attname, now)
    names = [model._meta.pk.attname] + [field_.attname for field_ in fields]
    read = attrgetter(*names)
    rows = [dict(zip(names, read(obj), strict=True)) for obj in objects]
    for field_ in fields:  # any other field with a pre_save of its own
        if field_.attname not in timed and own_pre_save(field_):
            for row, obj in zip(rows, objects, strict=True):
                row[field_.attname] = field_.pre_save(obj, True)
    insert_values(model, rows, with_ids=True)


def own_pre_save(field_) -> bool:
    """Whether ``field_``'s ``pre_save`` may give something else than the attribute's value (a date
    field's does only when it is ``auto_now`` or ``auto_now_add``)."""
    if isinstance(field_, models.DateField):
        return bool(field_.auto_now or field_.auto_now_add)
    return type(field_).pre_save is not models.Field.pre_save


def insert_rows(model, rows: list[dict], *, with_ids: bool = False) -> list[int]:
    """INSERT new rows of ``model`` given as ``{attname: value}`` for the columns they set, without a
    model instance each: every other column gets its field's default, as a new instance would (the
    time of the write for ``auto_now`` and ``auto_now_add``). ``with_ids``: each row gets an id of
    its own (``allocate_ids``), returned in the rows' order."""
    if not rows:
        return []
    missing = [
        field_
        for field_ in model._meta.concrete_fields
        if not field_.primary_key and field_.attname not in rows[0]
    ]
    timed = [
        field_
        for field_ in missing
        if getattr(field_, "auto_now", False) or getattr(field_, "auto_now_add", False)
    ]
    shared, fresh = split_defaults([field_ for field_ in missing if field_ not in timed])
    now = timezone.now()
    shared.update((field_.attname, now) for field_ in timed)
    for row in rows:
        row.update(shared)
        for name, get_default in fresh:
            row[name] = get_default()
    ids = allocate_ids(model, len(rows)) if with_ids else []
    if with_ids:
        for row, pk in zip(rows, ids, strict=True):
            row[model._meta.pk.attname] = pk
    insert_values(model, rows, with_ids=with_ids)
    return ids


#: Fields whose Python values (str, int, bool, None) both database drivers take as they are.
PLAIN_FIELDS = (
    models.CharField,
    models.TextField,
    models.BooleanField,
    models.IntegerField,
    models.BigAutoField,
    models.ForeignKey,
)


def preparer(field_, database):
    """How a value of ``field_`` is prepared for ``database``: None when the driver takes it as it
    is (text, numbers, booleans, ids), else the field's own ``get_db_prep_save``, with two
    shortcuts that give the same value: a decimal already at the field's places goes as it is (both
    drivers take a ``Decimal``; the field's check has passed), and the same value as the previous row
    (the write's time in every row) is prepared once."""
    if isinstance(field_, PLAIN_FIELDS) and not isinstance(field_, models.JSONField):
        return None
    if type(field_) is models.JSONField and type(field_).get_prep_value is models.Field.get_prep_value:
        # What get_db_prep_save does for a value that is no expression, without its three calls.
        adapt, encoder = database.ops.adapt_json_value, field_.encoder
        return lambda value: None if value is None else adapt(value, encoder)
    if type(field_) is models.DateField:
        # Many rows share a day: each day prepared once.
        days: dict = {}

        def prepare_day(value):
            if type(value) is not date:
                return field_.get_db_prep_save(value, database)
            if value not in days:
                days[value] = field_.get_db_prep_save(value, database)
            return days[value]

        return prepare_day
    last = [object(), None]  # the previous value and what it was prepared as

    def prepare(value):
        if value is last[0]:
            return last[1]
        if (
            type(value) is Decimal
            and isinstance(field_, models.DecimalField)
            and value.is_finite()
            and value.as_tuple().exponent == -field_.decimal_places
        ):
            return value
        last[0], last[1] = value, field_.get_db_prep_save(value, database)
        return last[1]

    return prepare


def insert_values(model, rows: list[dict], *, with_ids: bool = False) -> None:
    """INSERT ``rows`` (``{attname: value}``, every column but the id, and the id too ``with_ids``)
    into ``model``'s table, each value prepared for the database by its field (JSON encoded, dates
    adapted, ...)."""
    if not rows:
        return
    written = _written_rows.get()
    if written is not None:
        written[model._meta.db_table] = written.get(model._meta.db_table, 0) + len(rows)
    database = connections[DEFAULT_DB_ALIAS]  # the connection itself, not the proxy: read per value
    fields = [field_ for field_ in model._meta.concrete_fields if with_ids or not field_.primary_key]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(field_.column) for field_ in fields)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
    read = itemgetter(*[field_.attname for field_ in fields])
    # Only the values a field prepares (JSON, dates, ...) are touched; the rest go as they are.
    prepared = [
        (index, prepare)
        for index, prepare in enumerate(preparer(field_, database) for field_ in fields)
        if prepare is not None
    ]

    def values(row) -> list:
        found = list(read(row)) if len(fields) > 1 else [read(row)]
        for index, prepare in prepared:
            found[index] = prepare(found[index])
        return found

    if database.vendor == "postgresql" and COPY_ON_POSTGRESQL:
        # COPY: the rows streamed in one statement, not an INSERT per row (psycopg's ``copy``,
        # each value adapted as the INSERT's parameters are), inside the import's transaction.
        with (
            database.wrap_database_errors,  # a duplicate key raises IntegrityError, as an INSERT's does
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(values(row))
        return
    with connection.cursor() as cursor:
        for start in range(0, len(rows), WRITE_BATCH):
            cursor.executemany(sql, [values(row) for row in rows[start : start + WRITE_BATCH]])


def created_from(plan: Plan) -> dict:
    """A new object's ``created_changes`` from the snapshot its check took (its ``changes``)."""
    return {
        name: [None, value]
        for name, value in plan.changes.items()
        if value is not None and not (isinstance(value, EMPTYABLE) and not value)
    }


#: The types whose empty value (``""``, ``[]``) a created entry leaves out, as it leaves out None.
EMPTYABLE = (str, list)


def audit_plans(
    actor: Actor,
    prefix: str,
    new: list[Plan],
    changed_plans: list[Plan],
    fields,
    *,
    also=None,
    label: Callable = str,
) -> None:
    """``<prefix>.created`` for each new object, with what it holds (``created_changes``, and what
    ``also(plan)`` adds), and ``<prefix>.changed`` for each changed one, with its changed fields;
    ``label(obj)`` is each object's label (its ``str``)."""
    write_audit(
        actor,
        f"{prefix}.created",
        [(plan.obj, {**created_from(plan), **(also(plan) if also else {})}, label(plan.obj)) for plan in new],
    )
    write_audit(
        actor, f"{prefix}.changed", [(plan.obj, plan.changes, label(plan.obj)) for plan in changed_plans]
    )


def changed(before: dict, after: dict) -> dict:
    return {name: [before.get(name), value] for name, value in after.items() if before.get(name) != value}
