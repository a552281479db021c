"""Read plans: a read serializer's declared fields, compiled once into the columns to
fetch and a fast mapping from those columns to the response.

A list reads plain rows with `.values(*plan.lookups)` and maps them with `plan.from_rows`
(a nested list's rows for the whole page in one query more); a single object is read the
same way from its attributes with `plan.from_instance`.
Either gives exactly what DRF's own field-by-field rendering gives (tests check it), at
the cost of a hand-written dict: everything that does not depend on the row (which
column feeds which key, which converter applies) is worked out once, and the mapping is
generated as a function returning one dict display.

Each DRF field says where its value comes from (`source`: "regulator.slug" is the column
`regulator__slug`) and what it looks like (its class: a DateField is an ISO date). A value
computed from a column is declared with a derived field (see DerivedBooleanField). A field
a plan cannot read (a SerializerMethodField, say) fails when the plan is compiled, not
silently at run time.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter
from typing import NamedTuple

from django.core.exceptions import FieldDoesNotExist
from django.db import connections, router
from rest_framework import serializers
from rest_framework.settings import api_settings

from database.reads import prepared_cursor


def iso_date(value):
    return value.isoformat() if value is not None else None


def iso_datetime(value):
    """As DRF's DateTimeField renders it: ISO 8601, UTC written as Z."""
    if value is None:
        return None
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def decimal_text(places: int) -> Callable:
    """As DRF's DecimalField renders a stored decimal: a string with `places` decimals."""
    spec = f".{places}f"

    def convert(value):
        return format(value, spec) if value is not None else None

    return convert


class Derived:
    """A read-only value computed by `compute`, a pure function, from the one column that
    `source` names, so a row and an instance give the same value (mix into a DRF field
    class, which gives the value its type in the schema)."""

    def __init__(self, *, source: str, compute: Callable, **kwargs):
        self.compute = compute
        super().__init__(source=source, **kwargs)

    def to_representation(self, value):
        return self.compute(value)


class DerivedBooleanField(Derived, serializers.BooleanField):
    pass


class Combined:
    """A read-only value computed by `compute`, a pure function, from several columns
    (`sources`, as `.values()` lookups relative to the serializer's model), so a row and
    an instance give the same value. `compute` receives every column, nulls included.
    (Mix into a DRF field class, which gives the value its type in the schema.)"""

    def __init__(self, *, sources: tuple[str, ...], compute: Callable, **kwargs):
        self.sources = tuple(sources)
        self.compute = compute
        self._getters = [attrgetter(source.replace("__", ".")) for source in self.sources]
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, instance):
        return self.compute(*(get(instance) for get in self._getters))


# DRF field classes whose rendering of a stored value is the value itself.
AS_STORED = (
    serializers.CharField,
    serializers.ChoiceField,
    serializers.IntegerField,
    serializers.BooleanField,
    serializers.ReadOnlyField,
)


class UnreadableField(TypeError):
    """A declared field that a read plan cannot map from a column."""


def converter_of(field) -> Callable | None:
    """How a stored value becomes the field's JSON value; None: as it is."""
    if isinstance(field, Derived):
        return field.compute  # called on values that are not null only (see ReadPlan._generate)
    if isinstance(field, serializers.DateTimeField):
        if getattr(field, "format", api_settings.DATETIME_FORMAT) != "iso-8601":
            raise UnreadableField(
                f"{field.field_name}: only ISO 8601 date-times are read from rows"
            )
        return iso_datetime
    if isinstance(field, serializers.DateField):
        if getattr(field, "format", api_settings.DATE_FORMAT) != "iso-8601":
            raise UnreadableField(f"{field.field_name}: only ISO 8601 dates are read from rows")
        return iso_date
    if isinstance(field, serializers.DecimalField):
        coerce = getattr(field, "coerce_to_string", api_settings.COERCE_DECIMAL_TO_STRING)
        if not coerce or field.decimal_places is None or field.normalize_output or field.localize:
            raise UnreadableField(
                f"{field.field_name}: only fixed-decimal strings are read from rows"
            )
        return decimal_text(field.decimal_places)
    if isinstance(field, serializers.SlugRelatedField | serializers.PrimaryKeyRelatedField):
        return None
    if isinstance(field, AS_STORED):
        return None
    raise UnreadableField(
        f"{field.field_name} ({type(field).__name__}) cannot be read from a row; declare it with a source "
        "and a field type, or as a derived field (api.rows.Derived)"
    )


def lookup_of(path: list[str], field) -> str:
    """The `.values()` lookup that gives `field`'s stored value, under the relation `path`."""
    attrs = field.source_attrs
    if not attrs:
        raise UnreadableField(f"{field.field_name}: source='*' cannot be read from a row")
    if isinstance(field, serializers.SlugRelatedField):
        attrs = [*attrs, field.slug_field]
    elif isinstance(field, serializers.PrimaryKeyRelatedField):
        attrs = [*attrs[:-1], f"{attrs[-1]}_id"]  # the id column, as DRF reads it, without the join
    return "__".join([*path, *attrs])


class Column(NamedTuple):
    key: str
    index: int  # in the plan's lookups
    converter: str | None  # its name in the generated code; None: the value as it is


class NestedObject(NamedTuple):
    key: str
    entries: list
    present: int | None = None  # the column of the related id, for a relation that may be null


class Computed(NamedTuple):
    key: str
    indexes: tuple[int, ...]  # in the plan's lookups
    converter: str


class NestedList(NamedTuple):
    key: str  # its value is read apart (see Relation)


@dataclass(frozen=True)
class Relation:
    """A nested list (many=True): its rows come from the relation `source`, in `order`;
    `related_model` holds them and `parent_lookup` gives the parent's id."""

    key: str
    source: str
    plan: ReadPlan
    order: tuple
    related_model: type
    parent_lookup: str
    # Per database: the SQL of the rows' query, compiled once (see ParentedStatement).
    statements: dict = dataclasses.field(default_factory=dict, compare=False, repr=False)

    def representations(self, instance) -> list[dict]:
        related = getattr(instance, self.source)
        build = self.plan.from_values  # the plan has no nested lists of its own
        if self.source in getattr(instance, "_prefetched_objects_cache", {}):
            read = self.plan.instance_values
            return [build(read(item)) for item in related.all()]
        return [
            build(values)
            for values in related.order_by(*self.order).values_list(*self.plan.lookups)
        ]

    def representations_by_parent(self, parents: list) -> dict:
        """The nested lists of every parent id in `parents`, read in one query of plain rows."""
        build = self.plan.from_parented_values
        found = defaultdict(list)
        for values in self.rows_of(parents):
            found[values[0]].append(build(values))
        return found

    def rows_of(self, parents: list):
        """(parent id, *lookups) of every related row of `parents`, in order."""
        db = router.db_for_read(self.related_model)
        if db not in self.statements:
            self.statements[db] = ParentedStatement.of(self.rows_queryset([PARENT_MARK]).using(db))
        statement = self.statements[db]
        if statement is None:
            return self.rows_queryset(parents).using(db)
        return statement.rows(parents)

    def rows_queryset(self, parents: list):
        return (
            self.related_model._default_manager.filter(**{f"{self.parent_lookup}__in": parents})
            .order_by(*self.order)
            .values_list(self.parent_lookup, *self.plan.lookups)
        )


# An id no row has: marks the place of the parents' ids in a compiled statement.
PARENT_MARK = -1
PARENT_LIST = "IN (%s)"


@dataclass(frozen=True)
class ParentedStatement:
    """The SQL the ORM compiles for rows of a list of ids (a nested list's parents, a
    page's rows), kept to be run again for any ids: compiling the query costs more than
    running it. Run as a prepared statement (database.reads.prepared_cursor), so the server
    plans it once for each number of ids too."""

    head: str
    tail: str
    before: tuple  # the statement's other parameters, before and after the ids
    after: tuple
    # (column, its converters, its expression): what the ORM applies after reading
    converters: tuple
    names: tuple  # the columns, as `.values()` names them
    db: str

    @classmethod
    def of(cls, queryset) -> ParentedStatement | None:
        """The statement of `queryset`, filtered on `[PARENT_MARK]`; None when the ids'
        place cannot be told."""
        compiler = queryset.query.get_compiler(queryset.db)
        sql, params = compiler.as_sql()
        if sql.count(PARENT_LIST) != 1:
            return None
        head, tail = sql.split(PARENT_LIST)
        place = head.count("%s")
        if place >= len(params) or params[place] != PARENT_MARK:
            return None
        columns = [selected[0] for selected in compiler.select[: compiler.col_count]]
        converters = tuple(
            (column, tuple(functions), expression)
            for column, (functions, expression) in compiler.get_converters(columns).items()
        )
        query = queryset.query  # named as ValuesIterable names them
        names = (
            tuple(query.selected)
            if query.selected
            else (*query.extra_select, *query.values_select, *query.annotation_select)
        )
        return cls(
            head,
            tail,
            tuple(params[:place]),
            tuple(params[place + 1 :]),
            converters,
            names,
            queryset.db,
        )

    def rows(self, ids: list) -> list[tuple]:
        """The rows for `ids` as `.values_list()` gives them."""
        sql = f"{self.head}IN ({', '.join(['%s'] * len(ids))}){self.tail}"
        with prepared_cursor(
            self.db
        ) as cursor:  # the same text for every list of a length: planned once
            cursor.execute(sql, [*self.before, *ids, *self.after])
            rows = cursor.fetchall()
        if not self.converters:
            return rows
        connection = connections[self.db]
        return [self._converted(row, connection) for row in rows]

    def dicts(self, ids: list) -> list[dict]:
        """The rows for `ids` as `.values()` gives them."""
        return [dict(zip(self.names, row, strict=True)) for row in self.rows(ids)]

    def _converted(self, row: tuple, connection) -> tuple:
        values = list(row)
        for column, functions, expression in self.converters:
            for convert in functions:
                values[column] = convert(values[column], expression, connection)
        return tuple(values)


class ListRows:
    """A list's rows for a page of ids, from one statement per list compiled once (see
    ParentedStatement). The ids were read under the list's filters, so their rows need
    none: the list before its filters (`unfiltered`, called once per process) gives the
    columns and joins. `key` names the list: the same key, the same columns."""

    statements: dict = {}  # (key, database) -> ParentedStatement, or None: read by the ORM

    def __init__(self, key: tuple, unfiltered: Callable, lookups: tuple):
        self.key = key
        self.unfiltered = unfiltered
        self.lookups = lookups

    def read(self, ids: list, db: str) -> list[dict] | None:
        """The rows of `ids` (in no order), or None where the list's statement cannot be
        run again as it is (the ORM reads them then)."""
        key = (self.key, db)
        if key not in self.statements:
            rows = self.unfiltered().using(db).prefetch_related(None).values(*self.lookups)
            self.statements[key] = ParentedStatement.of(
                rows.filter(pk__in=[PARENT_MARK]).order_by()
            )
        statement = self.statements[key]
        return None if statement is None else statement.dicts(ids)


class ReadPlan:
    """The columns a serializer reads (`lookups`) and two mappings to its representation,
    generated once as Python functions whose body is one dict display, like a hand-written
    one: `from_row` of a `.values()` row, `from_values` of the columns' values in order."""

    def __init__(self, serializer):
        self.model = getattr(getattr(serializer, "Meta", None), "model", None)
        if self.model is None:
            raise UnreadableField(
                f"{type(serializer).__name__}: a read plan reads a model's rows (Meta.model)"
            )
        self.lookups: list[str] = []
        self.relations: list[Relation] = []
        self.converters: dict[str, Callable] = {}
        entries = self._entries(serializer, [])
        # A row's own id names it as the parent of its nested lists' rows.
        self.id_lookup = self._column(self.model._meta.pk.attname) if self.relations else None
        self.lookups = tuple(self.lookups)
        self.from_row = self._generate("row", entries, lambda i: f"row[{self.lookups[i]!r}]")
        self.from_values = self._generate("values", entries, lambda i: f"values[{i}]")
        # A nested list's rows, each led by its parent's id (see Relation).
        self.from_parented_values = self._generate("values", entries, lambda i: f"values[{i + 1}]")
        self.instance_values = instance_reader(serializer, self.lookups)

    def from_rows(self, rows) -> list[dict]:
        """The representations of `.values(*lookups)` rows; each nested list is read for
        all of them in one query."""
        built = [self.from_row(row) for row in rows]
        if self.relations and built:
            parents = [row[self.lookups[self.id_lookup]] for row in rows]
            for relation in self.relations:
                found = relation.representations_by_parent(parents)
                key = relation.key
                for data, parent in zip(built, parents, strict=True):
                    data[key] = found.get(parent, [])
        return built

    def from_instance(self, instance) -> dict:
        data = self.from_values(self.instance_values(instance))
        if self.relations:
            for relation in self.relations:
                data[relation.key] = relation.representations(instance)
        return data

    def _entries(self, serializer, path: list[str]) -> list[Column | NestedObject | NestedList]:
        """What each of the serializer's fields shows, in its order."""
        entries = []
        for name, field in serializer.fields.items():
            if field.write_only:
                continue
            if isinstance(field, serializers.ListSerializer):
                child = plan_of(field.child)
                if path or child.relations:
                    raise UnreadableField(
                        f"{name}: a nested list is read only at the top level, one deep"
                    )
                self.relations.append(
                    Relation(
                        name,
                        field.source,
                        child,
                        row_order(field.child),
                        *related_rows(self.model, name, field.source),
                    )
                )
                entries.append(NestedList(name))
            elif isinstance(field, serializers.BaseSerializer):
                relation = [*path, *field.source_attrs]
                present = None
                if may_be_null(self.model, relation):
                    if not is_relation_path(self.model, relation):
                        raise UnreadableField(
                            f"{name}: a nested object is read through model relations only"
                        )
                    # DRF renders a missing object as null, which a row cannot tell from one of
                    # nulls: the related id tells.
                    present = self._column("__".join([*relation, "pk"]))
                entries.append(NestedObject(name, self._entries(field, relation), present))
            elif isinstance(field, Combined):
                indexes = tuple(
                    self._column("__".join([*path, source])) for source in field.sources
                )
                converter = f"compute_{len(self.converters)}"
                self.converters[converter] = field.compute
                entries.append(Computed(name, indexes, converter))
            else:
                entries.append(
                    Column(name, self._column(lookup_of(path, field)), self._converter_name(field))
                )
        return entries

    def _column(self, lookup: str) -> int:
        if lookup not in self.lookups:
            self.lookups.append(lookup)
        return self.lookups.index(lookup)

    def _converter_name(self, field) -> str | None:
        convert = converter_of(field)
        if convert is None:
            return None
        # A derived value's function need not take a null: DRF renders a null column as null.
        name = f"{'derive' if isinstance(field, Derived) else 'convert'}_{len(self.converters)}"
        self.converters[name] = convert
        return name

    def _generate(
        self, argument: str, entries, column: Callable[[int], str]
    ) -> Callable[..., dict]:
        def display(entries) -> str:
            items = []
            for entry in entries:
                if isinstance(entry, NestedList):
                    value = "None"  # keeps the key's place; from_instance fills it in
                elif isinstance(entry, NestedObject):
                    value = display(entry.entries)
                    if entry.present is not None:
                        value = f"(None if {column(entry.present)} is None else {value})"
                elif isinstance(entry, Computed):
                    value = (
                        f"{entry.converter}({', '.join(column(index) for index in entry.indexes)})"
                    )
                elif entry.converter is None:
                    value = column(entry.index)
                elif entry.converter.startswith("derive"):
                    value = f"(None if {column(entry.index)} is None else {entry.converter}({column(entry.index)}))"
                else:
                    value = f"{entry.converter}({column(entry.index)})"
                items.append(f"{entry.key!r}: {value}")
            return "{" + ", ".join(items) + "}"

        source = f"def build({argument}):\n    return {display(entries)}\n"
        namespace = dict(self.converters)
        exec(compile(source, f"<read plan of {self.model.__name__}>", "exec"), namespace)  # noqa: S102 code built from the model's own fields
        return namespace["build"]


def attributes_getter(names: list[str]) -> Callable[..., tuple]:
    """`attrgetter(*names)`, always returning a tuple (attrgetter of one name does not)."""
    if len(names) == 1:
        get = attrgetter(names[0])
        return lambda obj: (get(obj),)
    return attrgetter(*names)


def walker(path: list[str]) -> Callable:
    """Reads `path` attribute by attribute; None beyond a missing relation, as in a row."""

    def read(instance):
        value = instance
        for name in path:
            value = getattr(value, name)
            if value is None:
                break
        return value

    return read


def instance_reader(serializer, lookups) -> Callable:
    """Reads the values of `lookups` from an instance's attributes (and the relations loaded
    on it); a relation that may be null reads as None beyond it, as in a row."""
    model = type(serializer).Meta.model
    paths = [lookup.split("__") for lookup in lookups]
    if not any(may_be_null(model, path[:-1]) for path in paths):
        return attributes_getter([".".join(path) for path in paths])
    readers = [
        walker(path) if may_be_null(model, path[:-1]) else attrgetter(".".join(path))
        for path in paths
    ]

    def read(instance) -> tuple:
        return tuple(read_one(instance) for read_one in readers)

    return read


def may_be_null(model, relations: list[str]) -> bool:
    for name in relations:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return True  # not a model relation: nothing promises a value
        if field.null or not field.is_relation or field.related_model is None:
            return True
        model = field.related_model
    return False


def is_relation_path(model, relations: list[str]) -> bool:
    """Whether every name in `relations` is a model relation to one object."""
    for name in relations:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return False
        if not (field.many_to_one or field.one_to_one) or field.related_model is None:
            return False
        model = field.related_model
    return True


def related_rows(model, name: str, source: str) -> tuple[type, str]:
    """The model of a nested list's rows and the lookup naming their parent: a reverse
    foreign key's column, or a reverse many-to-many relation's field."""
    try:
        relation = model._meta.get_field(source)
    except FieldDoesNotExist:
        relation = None
    if relation is not None and relation.auto_created and not relation.concrete:
        if relation.one_to_many:
            return relation.related_model, relation.field.attname
        if relation.many_to_many:
            return relation.related_model, relation.field.name
    raise UnreadableField(f"{name}: a nested list is read through a reverse relation only")


def row_order(serializer) -> tuple:
    """The order of a nested list's rows: its serializer's `row_order`, else by id."""
    return tuple(getattr(serializer, "row_order", ("pk",)))


_plans: dict[type, ReadPlan] = {}


def plan_of(serializer) -> ReadPlan:
    """The read plan of a serializer's class, compiled on first use (the fields, and so
    the plan, are the same for every instance of the class)."""
    cls = type(serializer)
    plan = _plans.get(cls)
    if plan is None:
        plan = _plans[cls] = ReadPlan(serializer)
    return plan


def plan_of_class(cls) -> ReadPlan:
    plan = _plans.get(cls)
    return plan if plan is not None else plan_of(cls())
