"""The timeline picture's geometry: pure functions of dates and lanes."""

import datetime
from types import SimpleNamespace

from pages.timeline_lanes import deadline_marks, event_points, phases
from pages.timeline_svg import (
    NARROW_WIDTH,
    PADDING_X,
    WIDE_WIDTH,
    Lane,
    Mark,
    Span,
    date_range,
    fit_label,
    layout,
    narrow_and_wide,
    shape_path,
    ticks,
    x_of,
)

D = datetime.date
TODAY = D(2025, 6, 1)


def lane(**parts) -> Lane:
    return Lane(label="CMA: A / B", href="/proceedings/1/", **parts)


def test_x_runs_from_the_left_padding_to_the_right_padding():
    start, end = D(2024, 1, 1), D(2024, 12, 31)
    assert x_of(start, start, end, 960) == PADDING_X
    assert x_of(end, start, end, 960) == 960 - PADDING_X
    assert x_of(D(2024, 7, 1), start, end, 960) == round(
        PADDING_X + 182 / 365 * (960 - 2 * PADDING_X), 1
    )


def test_the_range_covers_every_date_drawn_with_a_margin():
    lanes = [
        lane(phases=(Span(D(2024, 3, 1), D(2024, 9, 1), "Phase 1"),)),
        lane(deadlines=(Mark(D(2025, 1, 10), "due", "pending"),)),
    ]
    start, end = date_range(lanes, TODAY)
    assert start < D(2024, 3, 1) and end > D(2025, 1, 10)
    assert (D(2024, 3, 1) - start).days <= 15


def test_a_single_day_is_widened_to_a_readable_span_around_it():
    start, end = date_range([lane(points=(Mark(D(2024, 5, 5), "Decision", "decision"),))], TODAY)
    assert (end - start).days >= 60 and start < D(2024, 5, 5) < end


def test_no_dates_at_all_centres_on_today():
    start, end = date_range([lane()], TODAY)
    assert start < TODAY < end


def test_ticks_are_years_for_long_spans_months_for_short_and_thinned_to_fit():
    years = ticks(D(2019, 6, 1), D(2025, 6, 1), WIDE_WIDTH, max_ticks=12)
    assert [t.label for t in years] == ["2020", "2021", "2022", "2023", "2024", "2025"]
    months = ticks(D(2024, 1, 10), D(2024, 6, 20), WIDE_WIDTH, max_ticks=12)
    assert [t.label for t in months] == ["Feb", "Mar", "Apr", "May", "Jun"]
    thinned = ticks(D(2010, 1, 1), D(2025, 1, 1), NARROW_WIDTH, max_ticks=4)
    assert len(thinned) <= 4
    assert all(a.x < b.x for a, b in zip(thinned, thinned[1:], strict=False))


def test_a_tick_at_the_left_edge_is_anchored_inside_the_drawing():
    first = ticks(D(2022, 1, 1), D(2025, 1, 1), WIDE_WIDTH, max_ticks=12)[0]
    assert first.x == PADDING_X and first.anchor == "start"


def test_long_labels_are_cut_to_the_width_with_an_ellipsis():
    label = "FTC: In the Matter of Microsoft Corp. / Activision Blizzard, Inc.; FTC v. Microsoft Corp. (N.D. Cal.)"
    narrow = fit_label(label, NARROW_WIDTH, 12)
    assert (
        narrow.endswith("…")
        and len(narrow) < len(label)
        and len(narrow) * 12 * 0.56 <= NARROW_WIDTH
    )
    assert fit_label("CMA: A / B", NARROW_WIDTH, 12) == "CMA: A / B"


def test_layout_stacks_lanes_and_puts_marks_on_their_bar():
    lanes = [
        lane(
            phases=(Span(D(2024, 1, 1), D(2024, 3, 1), "Phase 1", "phase_1"),),
            stops=(Span(D(2024, 2, 1), D(2024, 2, 10), "Clock stopped"),),
            deadlines=(Mark(D(2024, 3, 1), "met", "met"),),
        ),
        lane(points=(Mark(D(2024, 6, 1), "Judgment", "decision"),)),
    ]
    picture = layout(lanes, TODAY, WIDE_WIDTH, font_size=13, max_ticks=12)
    first, second = picture.lanes
    assert second.row_y > first.row_y and picture.height > picture.axis_y > second.row_y
    bar = first.bars[0]
    assert bar.x < first.stops[0].x < bar.x + bar.width
    assert first.stops[0].height > bar.height  # drawn over the bar, visible on any colour
    assert first.deadlines[0].x == round(bar.x + bar.width, 1)
    assert first.deadlines[0].y == bar.y + bar.height / 2
    assert picture.today_x is None  # today lies after everything drawn: no line for it


def test_today_is_marked_when_the_picture_reaches_it():
    picture = layout(
        [lane(phases=(Span(D(2025, 1, 1), TODAY, "Phase 2"),))], TODAY, WIDE_WIDTH, 13, 12
    )
    assert picture.lanes[0].bars[0].x < picture.today_x <= picture.track_end


def test_a_zero_length_phase_still_shows():
    picture = layout(
        [lane(phases=(Span(D(2024, 1, 1), D(2024, 1, 1), "Phase 1"),))], TODAY, WIDE_WIDTH, 13, 12
    )
    assert picture.lanes[0].bars[0].width >= 2


def test_both_drawings_share_the_dates_but_not_the_width():
    narrow, wide = narrow_and_wide(
        [lane(points=(Mark(D(2024, 6, 1), "Decision", "decision"),))], TODAY
    )
    assert (narrow.width, wide.width) == (NARROW_WIDTH, WIDE_WIDTH)
    assert (narrow.start, narrow.end) == (wide.start, wide.end)


def test_each_kind_of_mark_has_its_own_shape():
    paths = {kind: shape_path(kind, 100, 50) for kind in ["decision", "court", "investment", "met"]}
    assert len(set(paths.values())) == 4
    assert shape_path("missed", 100, 50) == shape_path(
        "met", 100, 50
    )  # deadlines: diamonds, told apart by fill
    assert paths["met"].startswith("M100 42")  # a diamond's top corner, 8 above the centre


# From rows to lanes (plain stand-ins for the model rows: these functions only read attributes).


def change(day, from_status, to_status, pk=1):
    return SimpleNamespace(
        occurred_on=day,
        from_status=from_status,
        to_status=to_status,
        pk=pk,
        kind="status_change",
        title="",
    )


def test_phases_run_from_each_status_change_to_the_next_and_stop_at_the_decision():
    review = SimpleNamespace(opened_on=D(2024, 1, 1), closed_on=D(2024, 9, 1), status="cleared")
    spans = phases(
        review,
        [
            change(D(2024, 2, 1), "pre_notification", "phase_1", 1),
            change(D(2024, 4, 1), "phase_1", "phase_2", 2),
            change(D(2024, 9, 1), "phase_2", "cleared", 3),
        ],
        TODAY,
    )
    assert [(s.tone, s.start, s.end) for s in spans] == [
        ("pre_notification", D(2024, 1, 1), D(2024, 2, 1)),
        ("phase_1", D(2024, 2, 1), D(2024, 4, 1)),
        ("phase_2", D(2024, 4, 1), D(2024, 9, 1)),
    ]


def test_an_open_review_runs_to_today():
    review = SimpleNamespace(opened_on=D(2025, 1, 1), closed_on=None, status="phase_1")
    assert phases(review, [change(D(2025, 1, 1), "monitoring", "phase_1")], TODAY)[-1].end == TODAY
    assert phases(review, [], TODAY)[0].end == TODAY  # no recorded change: opened to today


def test_deadlines_are_marked_met_missed_or_moved():
    def period(state, day):
        return SimpleNamespace(due_on=day, state=state, phase="", get_phase_display=lambda: "")

    marks = deadline_marks(
        [
            period("superseded", D(2024, 3, 1)),
            period("met", D(2024, 4, 1)),
            period("missed", D(2024, 5, 1)),
            period("running", D(2024, 6, 1)),
            period("running", None),
        ]
    )
    assert [m.kind for m in marks] == ["moved", "met", "missed", "pending"]
    assert marks[0].label == "Statutory deadline 1 Mar 2024: moved"


def test_decisions_court_events_and_closing_changes_are_points():
    events = [
        SimpleNamespace(kind="decision", occurred_on=D(2024, 1, 1), title="Cleared", to_status=""),
        SimpleNamespace(
            kind="complaint", occurred_on=D(2024, 2, 1), title="Complaint", to_status=""
        ),
        SimpleNamespace(
            kind="status_change",
            occurred_on=D(2024, 3, 1),
            title="Prohibited",
            to_status="prohibited",
        ),
        SimpleNamespace(
            kind="status_change", occurred_on=D(2024, 4, 1), title="Phase 2", to_status="phase_2"
        ),
        SimpleNamespace(kind="news", occurred_on=D(2024, 5, 1), title="News", to_status=""),
    ]
    assert [(p.kind, p.on) for p in event_points(events)] == [
        ("decision", D(2024, 1, 1)),
        ("court", D(2024, 2, 1)),
        ("decision", D(2024, 3, 1)),
    ]
