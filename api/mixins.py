"""Behaviour shared by the API's viewsets: ETags with If-Match, streamed CSV lists."""

from __future__ import annotations

import hashlib

import orjson
from django.conf import settings
from django.db import transaction
from django.http import StreamingHttpResponse
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from tracker.search import SearchResult, search

from .exceptions import PreconditionFailed
from .json_renderer import encode_other
from .renderers import CSVRenderer, csv_lines, serializer_columns

CSV_CHUNK = 2000
SEARCH_PARAMETER = "q"


def etag_of(data) -> str:
    """A strong ETag over the resource's JSON representation."""
    payload = orjson.dumps(
        data, default=encode_other, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS
    )
    return f'"{hashlib.sha256(payload).hexdigest()[:32]}"'


def names_tag(header: str, current: str) -> bool:
    """Whether an If-Match or If-None-Match header names `current` (or is `*`)."""
    candidates = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return "*" in candidates or current in candidates


def if_match_satisfied(header: str | None, current: str) -> bool:
    return header is None or names_tag(header, current)


class RepresentationMixin:
    """The read shape of one object, whichever serializer validated the input."""

    def representation(self, instance) -> dict:
        return self.get_read_serializer_class()(
            instance, context=self.get_serializer_context()
        ).data

    def get_read_serializer_class(self):
        return getattr(self, "read_serializer_class", None) or self.get_serializer_class()


class ETagRetrieveMixin:
    """Detail responses carry an ETag; a matching If-None-Match is a 304."""

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        data = self.representation(instance)
        tag = etag_of(data)
        if names_tag(request.headers.get("If-None-Match", ""), tag):
            return Response(status=304, headers={"ETag": tag})
        return Response(data, headers={"ETag": tag})


class ETagUpdateMixin:
    """PUT and PATCH honour If-Match, rechecked under the row lock (412 when stale)."""

    def check_if_match(self, instance) -> None:
        """Call with the row locked; raises 412 when the client's copy is stale."""
        if not if_match_satisfied(
            self.request.headers.get("If-Match"), etag_of(self.representation(instance))
        ):
            raise PreconditionFailed()

    def locked_object(self):
        instance = self.get_object()
        return self.get_queryset().select_for_update(of=("self",)).get(pk=instance.pk)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        with transaction.atomic():
            instance = self.locked_object()
            self.check_if_match(instance)
            serializer = self.get_serializer(instance, data=request.data, partial=partial)
            serializer.is_valid(raise_exception=True)
            serializer.save()
        fresh = self.get_queryset().get(pk=instance.pk)
        data = self.representation(fresh)
        return Response(data, headers={"ETag": etag_of(data)})

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)


def csv_part(request) -> int:
    """The `part` of a CSV export asked for: 1 unless given; a bad one is a 400 naming it."""
    value = request.query_params.get("part", "1")
    if not value.isdigit() or not 1 <= int(value) <= settings.API_CSV_MAX_PARTS:
        raise ValidationError(
            {
                "part": [
                    f"A whole number from 1 to {settings.API_CSV_MAX_PARTS}; narrow the filters "
                    "for rows beyond."
                ]
            }
        )
    return int(value)


class CSVStreamingListMixin:
    """Lists: one JSON page, or, when CSV is asked for, the filtered rows streamed: every
    row for staff, API_CSV_MAX_ROWS a part for anyone else (`part`, `Link: rel="next"`).

    A list whose filterset has an indexed `q` (api.filtersets.IndexedSearchFilter) is
    searched here, after the other filters, so that what the search found (ranked, too
    many to count) reaches the ordering and the paginator."""

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        return self.list_or_csv(queryset, self.get_read_serializer_class(), f"{self.basename}s.csv")

    def searched(self, queryset) -> SearchResult:
        """`queryset` narrowed by the request's `q` (already checked by the filterset)."""
        text = self.request.query_params.get(SEARCH_PARAMETER, "").strip()
        filterset_class = getattr(self, "filterset_class", None)
        searcher = filterset_class.base_filters.get(SEARCH_PARAMETER) if filterset_class else None
        model_name = getattr(searcher, "model_name", None)  # an IndexedSearchFilter's
        if not text or model_name is None:
            return SearchResult(queryset)
        return search(model_name, queryset, text)

    def in_order(self, found: SearchResult):
        """Ranked results most relevant first, unless the request orders the list itself or
        pages it by cursor (which reads the list's own order)."""
        params = self.request.query_params
        if "ordering" in params or self.paginator is None:
            return found.queryset
        if getattr(self.paginator, "cursor_query_param", None) in params:
            return found.queryset
        return found.by_relevance()

    def stream_csv(self, queryset, filename: str, serializer_class):
        context = self.get_serializer_context()
        headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
        if not self.request.user.is_staff:
            limit, part = settings.API_CSV_MAX_ROWS, csv_part(self.request)
            start = (part - 1) * limit
            headers["X-Rows-Limit"] = str(limit)
            if queryset[start + limit : start + limit + 1].exists():
                following = replace_query_param(self.request.build_absolute_uri(), "part", part + 1)
                headers["Link"] = f'<{following}>; rel="next"'
            queryset = queryset[start : start + limit]
        serializer = serializer_class(context=context)

        def rows():
            # In chunks, each with its prefetched relations read in one query a relation.
            for instance in queryset.iterator(chunk_size=CSV_CHUNK):
                yield serializer.to_representation(instance)

        return StreamingHttpResponse(
            csv_lines(rows(), serializer_columns(serializer)),
            content_type="text/csv; charset=utf-8",
            headers=headers,
        )

    def list_or_csv(self, queryset, serializer_class, filename: str):
        """Paginated JSON or streamed CSV of `queryset` (a list, a deal's timeline, ...),
        searched by the request's `q`."""
        found = self.searched(queryset)
        queryset = self.in_order(found)
        if isinstance(getattr(self.request, "accepted_renderer", None), CSVRenderer):
            return self.stream_csv(queryset, filename, serializer_class)
        context = self.get_serializer_context()
        if self.paginator is None:
            return Response(serializer_class(queryset, many=True, context=context).data)
        page = self.paginator.paginate_queryset(
            queryset, self.request, view=self, count_is_estimate=found.count_is_estimate
        )
        return self.get_paginated_response(serializer_class(page, many=True, context=context).data)
