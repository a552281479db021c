"""Pagination: numbered pages with a capped size and depth; cursors for any depth; the
events feed is cursor-paginated.

- Numbered pages reach as deep as a reader pages (page x page_size up to
  MAX_PAGE_DEPTH rows); beyond, a 400 that points at `cursor`. A deep one (from
  IDS_FIRST_OFFSET rows on) reads its ids first, then only those rows.
- The count is exact up to `EXACT_COUNT_LIMIT` rows (counted no further than that); a
  longer list on PostgreSQL, or a search with more matches than it ranks (its
  SearchResult says so), is given the planner's estimate, said so by
  `"count_is_estimate": true` in the body and an `X-Count-Estimate: true` header.
- `cursor` reads the page after a position instead (api.keyset): from the list's order
  index, the same cost at any depth. An empty `cursor` reads the first page; each
  page's `next` link carries the cursor of the following one, and `count` is null (not
  counted: a page read by cursor runs no count). Search results read by cursor come in
  the list's order (relevance orders numbered pages).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import EmptyPage, InvalidPage, Page, PageNotAnInteger, Paginator
from django.utils.functional import cached_property
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import Cursor, CursorPagination, PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from database.reads import estimated_rows
from tracker.models import Event

from . import keyset

MAX_PAGE_SIZE = 200
MAX_PAGE_DEPTH = 10_000
EXACT_COUNT_LIMIT = 10_000
# From this offset on a page reads its ids first (ListPaginator.rows_at).
IDS_FIRST_OFFSET = 1_000
COUNT_ESTIMATE_HEADER = "X-Count-Estimate"


def ids_in_order(queryset):
    """The ids of the list's rows in the list's order, without the joins that only show one
    related row (select_related)."""
    return queryset.select_related(None).values_list("pk", flat=True)


def ids_of(queryset):
    """The ids of a list's rows, as many as its rows: counted and estimated like the rows,
    in no order. DISTINCT over all columns could change how many there are, so such a
    list is kept whole."""
    if queryset.query.distinct:
        return queryset
    return ids_in_order(queryset).order_by()


class ListPaginator(Paginator):
    """Counts exactly up to EXACT_COUNT_LIMIT and estimates beyond, or at once when told
    that the list is too long to count (`count_is_estimate`, a search's finding)."""

    def __init__(self, object_list, per_page, *, count_is_estimate: bool = False, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count_is_estimate = count_is_estimate

    @cached_property
    def count(self):
        ids = ids_of(self.object_list)
        if not self.count_is_estimate:
            capped = ids[: EXACT_COUNT_LIMIT + 1].count()
            if capped <= EXACT_COUNT_LIMIT:
                return capped
        estimate = estimated_rows(ids)
        if estimate is None:  # no planner to ask (SQLite): count them all
            self.count_is_estimate = False
            return ids.count()
        self.count_is_estimate = True
        return estimate

    def validate_number(self, number):
        if not self.count_is_estimate:
            return super().validate_number(number)
        # With an estimated count the last page is not known: a page past the end is
        # found empty when read (see page()).
        try:
            number = int(number)
        except (TypeError, ValueError) as exc:
            raise PageNotAnInteger("That page number is not an integer") from exc
        if number < 1:
            raise EmptyPage("That page number is less than 1")
        return number

    def page(self, number):
        number = self.validate_number(number)
        offset = (number - 1) * self.per_page
        rows = self.rows_at(offset, self.per_page + 1)
        if not rows and number > 1:
            raise EmptyPage("That page contains no results")
        page = Page(rows[: self.per_page], number, self)
        if self.count_is_estimate:
            more = len(rows) > self.per_page
            page.has_next = lambda: more
        return page

    def rows_at(self, offset: int, limit: int) -> list:
        """`limit` rows from `offset`. A deep page reads its ids first, from the list's own
        table (an index-only scan in the list's order), then only those rows with their
        joins: the rows before the page are not joined only to be skipped."""
        if offset < IDS_FIRST_OFFSET or self.object_list.query.distinct:
            return list(self.object_list[offset : offset + limit])
        ids = list(ids_in_order(self.object_list)[offset : offset + limit])
        found = self.object_list.in_bulk(ids)
        return [found[pk] for pk in ids if pk in found]


class PagePagination(PageNumberPagination):
    django_paginator_class = ListPaginator
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    cursor_query_param = "cursor"
    by_cursor = False
    next_cursor = None

    def paginate_queryset(self, queryset, request, view=None, *, count_is_estimate=False):
        """A page of `queryset`; `count_is_estimate`: the list is known to be too long to
        count (a search's SearchResult says so)."""
        self.request = request
        if self.cursor_query_param in request.query_params:
            return self.paginate_by_cursor(queryset, request)
        size = self.get_page_size(request)
        paginator = self.django_paginator_class(queryset, size, count_is_estimate=count_is_estimate)
        number = request.query_params.get(self.page_query_param) or 1
        if number in self.last_page_strings:
            number = paginator.num_pages
        self.check_depth(number, size)
        try:
            self.page = paginator.page(number)
        except InvalidPage as exc:
            raise NotFound(
                self.invalid_page_message.format(page_number=number, message=str(exc))
            ) from exc
        if paginator.num_pages > 1 and self.template is not None:
            self.display_page_controls = True  # the browsable API's page links
        return list(self.page)

    def check_depth(self, number, size: int) -> None:
        """A numbered page beyond MAX_PAGE_DEPTH rows is a 400 that points at the cursor."""
        if str(number).isdigit() and int(number) * size > MAX_PAGE_DEPTH:
            raise ValidationError(
                {
                    self.page_query_param: [
                        f"Numbered pages reach {MAX_PAGE_DEPTH:,} rows (page x page_size); read "
                        f"deeper with `{self.cursor_query_param}` (empty for the first page, then "
                        "each page's `next` link), which costs the same at any depth."
                    ]
                }
            )

    def paginate_by_cursor(self, queryset, request) -> list:
        """The page after the request's cursor, read from the order's index."""
        self.by_cursor = True
        if self.page_query_param in request.query_params:  # one of the two would be ignored
            raise ValidationError(
                {
                    self.page_query_param: [
                        f"Give either {self.page_query_param} or "
                        f"{self.cursor_query_param}, not both."
                    ]
                }
            )
        try:
            keys = keyset.keys_of(queryset)
            cursor = request.query_params[self.cursor_query_param]
            position = keyset.decode(cursor, keys, queryset.model) if cursor else None
        except (keyset.NotKeyed, keyset.NotAPosition) as exc:
            raise ValidationError({self.cursor_query_param: [str(exc)]}) from exc
        size = self.get_page_size(request)
        ordered = keyset.ordered_by(queryset, keys)
        if position is not None:
            ordered = ordered.filter(keyset.after(keys, position))
        rows = list(ordered[: size + 1])
        if len(rows) > size:
            self.next_cursor = keyset.encode(keys, keyset.values_of(keys, rows[size - 1]))
        return rows[:size]

    def get_paginated_response(self, data):
        if self.by_cursor:
            return Response(
                {
                    "count": None,
                    "next": self.get_next_cursor_link(),
                    "previous": None,
                    "results": data,
                }
            )
        response = super().get_paginated_response(data)
        if self.page.paginator.count_is_estimate:
            response.data["count_is_estimate"] = True
            response[COUNT_ESTIMATE_HEADER] = "true"
        return response

    def get_next_cursor_link(self) -> str | None:
        if self.next_cursor is None:
            return None
        url = remove_query_param(self.request.build_absolute_uri(), self.page_query_param)
        return replace_query_param(url, self.cursor_query_param, self.next_cursor)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["description"] = (
                    f"A page number. Numbered pages reach {MAX_PAGE_DEPTH:,} rows (page x page_size); "
                    f"deeper is a 400: read on with `{self.cursor_query_param}`."
                )
        parameters.append(
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Read the page after this position instead of a numbered page: the same cost at any "
                "depth. Empty for the first page; each page's `next` link carries the following cursor "
                "(`previous` and `count` are null). Search results read by cursor come in the "
                "list's order, not by relevance.",
                "schema": {"type": "string"},
            }
        )
        return parameters

    def get_paginated_response_schema(self, schema):
        described = super().get_paginated_response_schema(schema)
        described["properties"]["count"]["description"] = (
            f"Exact up to {EXACT_COUNT_LIMIT:,} rows; beyond, the database's estimate (see count_is_estimate). "
            "Null on a page read by `cursor` (not counted)."
        )
        described["properties"]["count"]["nullable"] = True
        described["properties"]["count_is_estimate"] = {
            "type": "boolean",
            "description": "Present (true) only when `count` is an estimate; also sent as the "
            f"{COUNT_ESTIMATE_HEADER} header.",
        }
        return described


class EventFeedPagination(CursorPagination):
    """Stable under inserts: a poller never sees a row twice or misses one."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    ordering = ("-occurred_on", "-id")

    def paginate_queryset(self, queryset, request, view=None, *, count_is_estimate=False):
        # A cursor page is never counted: whether a count would be an estimate is moot.
        return super().paginate_queryset(queryset, request, view)

    def encode_cursor(self, cursor):
        """The feed's position, signed: only a cursor of ours is read back."""
        token = keyset.sign({"o": cursor.offset, "r": cursor.reverse, "p": cursor.position})
        return replace_query_param(self.base_url, self.cursor_query_param, token)

    def decode_cursor(self, request):
        encoded = request.query_params.get(self.cursor_query_param)
        if not encoded:
            return None  # the first page
        try:
            payload = keyset.unsign(encoded)
            offset, reverse, position = payload["o"], payload["r"], payload["p"]
        except (keyset.NotAPosition, KeyError) as exc:
            raise ValidationError({self.cursor_query_param: [self.invalid_cursor_message]}) from exc
        if (
            not isinstance(offset, int)
            or isinstance(offset, bool)
            or not 0 <= offset <= self.offset_cutoff
            or not isinstance(reverse, bool)
            or not (position is None or (isinstance(position, str) and keyset.storable(position)))
            or not self.position_fits(position)
        ):
            raise ValidationError({self.cursor_query_param: [self.invalid_cursor_message]})
        return Cursor(offset=offset, reverse=reverse, position=position)

    def position_fits(self, position: str | None) -> bool:
        """Whether the position is a value of the feed's first ordering column (a date)."""
        if position is None:
            return True
        field = Event._meta.get_field(self.ordering[0].lstrip("-"))
        try:
            keyset.column_value(field, position)
        except (DjangoValidationError, TypeError, ValueError, OverflowError):
            return False
        return True
