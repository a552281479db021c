"""The geometry of the timeline picture, as pure functions of dates and lanes.

One lane per proceeding (and one for the deal itself): its phases as bars, clock stops
over them, statutory deadlines as diamonds (met, missed, moved, pending), decisions and
court events as points. The picture is drawn twice, narrow for phones and wide for
desks, each in its own coordinate space so text stays at a readable size; the template
only copies the numbers computed here into SVG.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

NARROW_WIDTH = 360
WIDE_WIDTH = 960
PADDING_X = 8
LABEL_HEIGHT = 18
BAR_HEIGHT = 14
ROW_GAP = 12
AXIS_HEIGHT = 24
MIN_BAR_WIDTH = 2.0
MIN_SPAN_DAYS = 60


@dataclass(frozen=True)
class Span:
    """A stretch of days on a lane: a phase (tone: its status) or a clock stop."""

    start: datetime.date
    end: datetime.date
    label: str
    tone: str = ""


@dataclass(frozen=True)
class Mark:
    """A day on a lane: a deadline (kind: met, missed, moved, withdrawn, pending) or a
    point (kind: decision, court, investment, deal)."""

    on: datetime.date
    label: str
    kind: str


@dataclass(frozen=True)
class Lane:
    label: str
    href: str = ""
    phases: tuple[Span, ...] = ()
    stops: tuple[Span, ...] = ()
    deadlines: tuple[Mark, ...] = ()
    points: tuple[Mark, ...] = ()


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float
    label: str
    tone: str = ""


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    label: str
    kind: str

    @property
    def path(self) -> str:
        return shape_path(self.kind, self.x, self.y)


# Each kind of mark has its own shape, so the picture does not rest on colour alone.
SHAPES = {
    "decision": "circle",
    "deal": "circle",
    "court": "square",
    "investment": "triangle",
}


def shape_path(kind: str, x: float, y: float) -> str:
    """SVG path data of a mark centred on (x, y): deadlines are diamonds."""
    shape = SHAPES.get(kind, "diamond")
    if shape == "circle":
        r = 5
        return f"M{x - r:g} {y:g}a{r} {r} 0 1 0 {2 * r} 0a{r} {r} 0 1 0 {-2 * r} 0z"
    if shape == "square":
        return f"M{x - 5:g} {y - 5:g}h10v10h-10z"
    if shape == "triangle":
        return f"M{x:g} {y - 6:g}l6 11h-12z"
    return f"M{x:g} {y - 8:g}l7 8l-7 8l-7 -8z"


@dataclass
class DrawnLane:
    label: str
    href: str
    label_y: float
    row_y: float
    track_y: float
    bars: list[Box] = field(default_factory=list)
    stops: list[Box] = field(default_factory=list)
    deadlines: list[Dot] = field(default_factory=list)
    points: list[Dot] = field(default_factory=list)


@dataclass(frozen=True)
class Tick:
    x: float
    label: str

    @property
    def anchor(self) -> str:
        """Labels near an edge are anchored inward so they are not cut off."""
        return "start" if self.x < 3 * PADDING_X else "middle"


@dataclass
class Picture:
    width: int
    height: float
    font_size: int
    lanes: list[DrawnLane]
    ticks: list[Tick]
    axis_y: float
    tick_y: float
    track_end: float
    today_x: float | None
    start: datetime.date
    end: datetime.date


def lane_dates(lane: Lane) -> list[datetime.date]:
    dates = [d for span in (*lane.phases, *lane.stops) for d in (span.start, span.end)]
    dates += [mark.on for mark in (*lane.deadlines, *lane.points)]
    return dates


def date_range(lanes: list[Lane], today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The days the picture covers: every date drawn, with a margin, at least MIN_SPAN_DAYS."""
    dates = [d for lane in lanes for d in lane_dates(lane)]
    if not dates:
        return today - datetime.timedelta(days=MIN_SPAN_DAYS // 2), today + datetime.timedelta(
            days=MIN_SPAN_DAYS // 2
        )
    first, last = min(dates), max(dates)
    span = max((last - first).days, MIN_SPAN_DAYS)
    margin = datetime.timedelta(days=max(span // 40, 3))
    middle = first + (last - first) / 2
    if (last - first).days < MIN_SPAN_DAYS:
        first, last = (
            middle - datetime.timedelta(days=span // 2),
            middle + datetime.timedelta(days=span // 2),
        )
    return first - margin, last + margin


def x_of(day: datetime.date, start: datetime.date, end: datetime.date, width: int) -> float:
    """Horizontal position of a day, in the drawing's own units."""
    usable = width - 2 * PADDING_X
    return round(PADDING_X + (day - start).days / max((end - start).days, 1) * usable, 1)


def ticks(start: datetime.date, end: datetime.date, width: int, max_ticks: int) -> list[Tick]:
    """Axis labels on year starts, or on quarter or month starts for shorter spans,
    thinned so at most max_ticks are drawn."""
    days = (end - start).days
    months_between = 12 if days > 3 * 365 else 3 if days > 365 else 1
    day = datetime.date(start.year, start.month, 1)
    candidates = []
    while day <= end:
        if day >= start and (day.month - 1) % months_between == 0:
            candidates.append(day)
        day = datetime.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    step = max(1, -(-len(candidates) // max_ticks))
    chosen = candidates[::step]
    return [Tick(x_of(d, start, end, width), tick_label(d, months_between)) for d in chosen]


def tick_label(day: datetime.date, months_between: int) -> str:
    if months_between == 12 or day.month == 1:
        return str(day.year)
    return day.strftime("%b")


def fit_label(text: str, width: int, font_size: int) -> str:
    """The label cut to what fits on one line of the drawing (about 0.55 em per character)."""
    room = int((width - 2 * PADDING_X) / (font_size * 0.56))
    return text if len(text) <= room else text[: max(room - 1, 1)].rstrip() + "…"


def layout(
    lanes: list[Lane], today: datetime.date, width: int, font_size: int, max_ticks: int
) -> Picture:
    start, end = date_range(lanes, today)
    lane_height = LABEL_HEIGHT + BAR_HEIGHT + ROW_GAP
    drawn = []
    for index, lane in enumerate(lanes):
        top = index * lane_height
        row_y = top + LABEL_HEIGHT
        drawn_lane = DrawnLane(
            fit_label(lane.label, width, font_size),
            lane.href,
            top + LABEL_HEIGHT - 5,
            row_y,
            row_y + BAR_HEIGHT / 2,
        )
        for span in lane.phases:
            drawn_lane.bars.append(box(span, start, end, width, row_y, BAR_HEIGHT))
        for span in lane.stops:
            # A stop is drawn over the bar, a little taller, so it shows on any phase colour.
            drawn_lane.stops.append(box(span, start, end, width, row_y - 2, BAR_HEIGHT + 4))
        middle = row_y + BAR_HEIGHT / 2
        drawn_lane.deadlines = [
            Dot(x_of(m.on, start, end, width), middle, m.label, m.kind) for m in lane.deadlines
        ]
        drawn_lane.points = [
            Dot(x_of(m.on, start, end, width), middle, m.label, m.kind) for m in lane.points
        ]
        drawn.append(drawn_lane)
    axis_y = len(lanes) * lane_height + 4
    today_x = x_of(today, start, end, width) if start <= today <= end else None
    return Picture(
        width=width,
        height=axis_y + AXIS_HEIGHT,
        font_size=font_size,
        lanes=drawn,
        ticks=ticks(start, end, width, max_ticks),
        axis_y=axis_y,
        tick_y=axis_y + 16,
        track_end=width - PADDING_X,
        today_x=today_x,
        start=start,
        end=end,
    )


def box(
    span: Span, start: datetime.date, end: datetime.date, width: int, y: float, height: float
) -> Box:
    left = x_of(span.start, start, end, width)
    right = x_of(span.end, start, end, width)
    return Box(left, y, round(max(right - left, MIN_BAR_WIDTH), 1), height, span.label, span.tone)


def narrow_and_wide(lanes: list[Lane], today: datetime.date) -> tuple[Picture, Picture]:
    """The phone drawing and the desk drawing of the same lanes."""
    return (
        layout(lanes, today, NARROW_WIDTH, font_size=12, max_ticks=4),
        layout(lanes, today, WIDE_WIDTH, font_size=13, max_ticks=12),
    )
