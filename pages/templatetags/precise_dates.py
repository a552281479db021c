"""A date as precisely as its source gives it: `{% precise_time date precision %}` renders
`<time datetime="2024-08">August 2024</time>` for a month, `2024` for a year, the day otherwise."""

from django import template
from django.utils.dateformat import format as date_format
from django.utils.html import format_html

register = template.Library()

MACHINE = {"year": "Y", "month": "Y-m"}
HUMAN = {"year": "Y", "month": "F Y"}


@register.simple_tag
def precise_time(value, precision="day", day_format="j F Y"):
    if not value:
        return ""
    return format_html(
        '<time datetime="{}">{}</time>',
        date_format(value, MACHINE.get(precision, "Y-m-d")),
        date_format(value, HUMAN.get(precision, day_format)),
    )
