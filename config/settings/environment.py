"""Reading settings from the environment (12-factor): the helpers every settings module uses."""

import os

from celery.schedules import crontab


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_rate(name: str, default: str) -> str | None:
    """A throttle rate such as 120/minute; "off" disables that throttle."""
    value = os.environ.get(name, default).strip()
    return None if value.lower() in {"off", "none", ""} else value


def beat_schedule(value: str):
    """A crontab ("minute hour day-of-month month day-of-week") or a number of seconds."""
    if value.replace(".", "", 1).isdigit():
        return float(value)
    minute, hour, day_of_month, month, day_of_week = value.split()
    return crontab(minute, hour, day_of_week, day_of_month, month)
