"""What beat runs for the imports: one entry per source that has a schedule and is on,
with the schedule as the source's setting gives it (a crontab or seconds)."""

from .sources import all_sources


def beat_entries() -> dict[str, dict]:
    schedules = {name: source.schedule() for name, source in all_sources().items()}
    return {
        f"imports-{name}": {"task": "imports.run", "schedule": schedule, "args": [name]}
        for name, schedule in schedules.items()
        if schedule
    }
