from django.apps import AppConfig


class PagesConfig(AppConfig):
    """The public, server-rendered pages: deals, proceedings, regulators, parties,
    the deadline calendar and search, with the timeline picture."""

    name = "pages"
    label = "pages"
    verbose_name = "Public pages"

    def ready(self):
        from . import checks  # noqa: F401  registers the deploy check
