"""What beat runs for the imports: one entry per source that has a schedule and is on,
with the schedule as the source's setting gives it (a crontab or seconds)."""

from .sources import all_sources


def beat_entries() -> dict[str, dict]:
    return {
        f"imports-{name}": {"task": "imports.run", "schedule": source.schedule(), "args": [name]}
        for name, source in all_sources().items()
        if source.schedule()
    }
