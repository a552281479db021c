"""Pagination: numbered pages with a capped size; the events feed is cursor-paginated."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property
from rest_framework.pagination import CursorPagination, PageNumberPagination

MAX_PAGE_SIZE = 200


class RowsPaginator(Paginator):
    """Counts a list of rows on the queryset they were read from (`countable`, when the
    view sets it): the rows' `.values()` joins the tables a row shows, which a count
    does not need."""

    @cached_property
    def count(self):
        return getattr(self.object_list, "countable", self.object_list).count()


class PagePagination(PageNumberPagination):
    django_paginator_class = RowsPaginator
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE


class EventFeedPagination(CursorPagination):
    """Stable under inserts: a poller never sees a row twice or misses one."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    ordering = ("-occurred_on", "-id")
