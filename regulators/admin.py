from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Court, Regulator


@admin.register(Regulator)
class RegulatorAdmin(SimpleHistoryAdmin):
    list_display = ["short_name", "name", "jurisdiction", "calendar", "website"]
    list_filter = ["jurisdiction", "calendar"]
    search_fields = ["name", "short_name", "slug"]
    prepopulated_fields = {"slug": ["short_name"]}
    ordering = ["short_name"]


@admin.register(Court)
class CourtAdmin(SimpleHistoryAdmin):
    list_display = ["short_name", "name", "jurisdiction"]
    list_filter = ["jurisdiction"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["short_name"]}
