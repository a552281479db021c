"""The raw baseline: the same JSON for the same queries, straight from psycopg, no framework.

A bare WSGI app (served by the same gunicorn, with the same worker count, as the API)
that answers exactly the benchmark's URL shapes with hand-written SQL and orjson, the
fastest reasonable framework-free server, so the ratio is measured against the limit.
The benchmark checks its bodies against the API's, so the comparison is like for like.
"""

from __future__ import annotations

import base64
import json
import os
import zlib
from decimal import Decimal
from urllib.parse import parse_qs, urlencode

import orjson
import psycopg

# The label is the product's own pure function (no framework at request time).
from tracker.labels import status_label

OPEN = (
    "monitoring",
    "preliminary_inquiry",
    "pre_notification",
    "referral",
    "phase_1",
    "phase_2",
    "remedies",
    "litigation",
    "appeal",
)
CLOSED = ("cleared", "cleared_with_conditions", "prohibited", "abandoned", "closed")
_conn = None


def connection():
    global _conn
    if _conn is None or _conn.closed:
        # The planner's page cost the product sets on its own connections (config.settings):
        # without it the reference's searches, once prepared, are planned for spinning disks.
        page_cost = os.environ.get("DATABASE_RANDOM_PAGE_COST", "1.1")  # empty: the server's own
        _conn = psycopg.connect(
            os.environ["BASELINE_DATABASE_URL"],
            autocommit=True,
            options=f"-c random_page_cost={float(page_cost)}" if page_cost else "",
        )
        _conn.execute("SET TIME ZONE 'UTC'")
    return _conn


def _default(value):
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(type(value))


def _json(body) -> bytes:
    # Dates and date-times natively, UTC written as Z (as the API writes them).
    return orjson.dumps(body, default=_default, option=orjson.OPT_UTC_Z)


def _precise(day, precision: str):
    """A date at its known precision: 2024-03-01 known to the month is "2024-03"."""
    if day is None:
        return None
    return {"year": f"{day:%Y}", "month": f"{day:%Y-%m}"}.get(precision, day.isoformat())


def _court(slug, short_name, name):
    return None if slug is None else {"slug": slug, "short_name": short_name, "name": name}


def _link(environ, params: dict) -> str:
    """This address with these parameters, in DRF's order (sorted) and escaping."""
    return f"http://{environ.get('HTTP_HOST', '127.0.0.1')}{environ['PATH_INFO']}?{urlencode(sorted(params.items()))}"


def _page_link(environ, page: int, page_size: int) -> str | None:
    return _link(environ, {"page": page, "page_size": page_size})


REVIEW_COLUMNS = """
    r.id, d.slug, d.title, g.slug, g.short_name, g.jurisdiction, r.title, r.reference, r.review_type, r.status,
    r.status_changed_at, r.stage, r.opened_on, r.opened_precision, r.formally_opened_on, r.closed_on,
    r.closed_precision, r.outcome, r.outcome_wording, c.slug, c.short_name,
    c.name, r.docket_number, r.judge, r.url, r.next_deadline, r.deadline_kind, r.deadline_basis, r.updated_at
"""


def _site(environ) -> str:
    return f"http://{environ.get('HTTP_HOST', '127.0.0.1')}"


def _review(row, covered, site: str) -> dict:
    (
        rid,
        dslug,
        dtitle,
        gslug,
        gshort,
        gjur,
        title,
        ref,
        rtype,
        status,
        changed,
        stage,
        opened,
        opened_precision,
        formally_opened,
        closed,
        closed_precision,
        outcome,
        wording,
        cslug,
        cshort,
        cname,
        docket,
        judge,
        url,
        deadline,
        dkind,
        dbasis,
        updated,
    ) = row
    return {
        "id": rid,
        "page_url": f"{site}/proceedings/{rid}/",
        "deal": {"slug": dslug, "title": dtitle},
        "deals": [
            {"slug": slug, "title": title, "role": role}
            for slug, title, role in covered.get(rid, [])
        ],
        "regulator": {"slug": gslug, "short_name": gshort, "jurisdiction": gjur},
        "title": title,
        "reference": ref,
        "review_type": rtype,
        "status": status,
        "status_label": status_label(status, outcome),
        "is_open": status in OPEN,
        "status_changed_at": changed,
        "stage": stage,
        "opened_on": opened,
        "opened_precision": opened_precision,
        "formally_opened_on": formally_opened,
        "closed_on": closed,
        "closed_precision": closed_precision,
        "outcome": outcome,
        "outcome_wording": wording,
        "court": _court(cslug, cshort, cname),
        "docket_number": docket,
        "judge": judge,
        "url": url,
        "next_deadline": deadline,
        "deadline_kind": dkind,
        "deadline_basis": dbasis,
        "updated_at": updated,
    }


def _covered(conn, rows) -> dict:
    """Each listed review's covered deals, in the order they were linked."""
    covered: dict = {}
    for rid, slug, title, role in conn.execute(
        "SELECT l.review_id, d.slug, d.title, l.role FROM tracker_reviewdeal l JOIN tracker_deal d ON d.id = l.deal_id "
        "WHERE l.review_id = ANY(%s) ORDER BY l.id",
        [[row[0] for row in rows]],
    ).fetchall():
        covered.setdefault(rid, []).append((slug, title, role))
    return covered


REVIEW_JOINS = (
    "FROM tracker_review r JOIN tracker_deal d ON d.id = r.deal_id "
    "JOIN regulators_regulator g ON g.id = r.regulator_id LEFT JOIN regulators_court c ON c.id = r.court_id"
)


def cursor_payload(cursor: str) -> dict:
    """The payload of a cursor the API signed (django.core.signing's format: base64 JSON,
    zlib-compressed when it starts with a dot, then a colon and the signature). The
    reference trusts it: it serves the benchmark's own cursor."""
    data = cursor.rsplit(":", 1)[0]
    compressed = data.startswith(".")
    raw = base64.urlsafe_b64decode(data.lstrip(".") + "=" * (-len(data.lstrip(".")) % 4))
    return json.loads(zlib.decompress(raw) if compressed else raw)


def reviews_after(environ, cursor: str, size: int = 50):
    """/api/v1/reviews/?cursor=... : the page after a (opened_on, id) position in the list's
    order (newest opened first), read from the order's index with no count, as the API does.
    Positions with no opening date are not generated, so the row comparison is enough."""
    position = cursor_payload(cursor)["after"]
    conn = connection()
    rows = conn.execute(
        f"SELECT {REVIEW_COLUMNS} {REVIEW_JOINS} WHERE (r.opened_on, r.id) < (%s::date, %s) "
        "ORDER BY r.opened_on DESC, r.id DESC LIMIT %s",
        [*position, size + 1],
    ).fetchall()
    page = rows[:size]
    covered = _covered(conn, page)
    next_link = None
    if len(rows) > size:
        last = page[-1]
        token = (
            base64.urlsafe_b64encode(
                json.dumps(
                    {"order": ["-opened_on", "-id"], "after": [last[12].isoformat(), last[0]]}
                ).encode()
            )
            .decode()
            .rstrip("=")
        )
        next_link = f"http://{environ.get('HTTP_HOST')}{environ['PATH_INFO']}?cursor={token}"
    return {
        "count": None,
        "next": next_link,
        "previous": None,
        "results": [_review(r, covered, _site(environ)) for r in page],
    }


# The search's rules, as tracker.search states them: up to RANKED_MATCHES matches are
# ranked and counted; more keep the list's order, walked down its index, and are counted
# by the planner's estimate; fragments need MIN_FRAGMENT characters.
RANKED_MATCHES = 1000
MIN_FRAGMENT = 3


def _planned(conn, sql: str, args) -> int:
    return conn.execute(f"EXPLAIN (FORMAT JSON) {sql}", args).fetchone()[0][0]["Plan"]["Plan Rows"]


def _words(alias: str) -> str:
    return f"{alias}.search_document @@ websearch_to_tsquery('english', %(q)s)"


def _own(alias: str, fragments: tuple, text: str) -> str:
    """A table's own match: its document, or (long enough) the text in any fragment column."""
    sql = [_words(alias)]
    if len(text.strip()) >= MIN_FRAGMENT:
        sql += [f"UPPER({alias}.{column}::text) LIKE UPPER(%(like)s)" for column in fragments]
    return " OR ".join(sql)


def _reviews_by_deal(text: str) -> str:
    """Proceedings covering a deal that matches by its own words or a party's name or alias."""
    parties = (
        f"SELECT p.id FROM tracker_party p WHERE {_own('p', ('name', 'slug', 'aliases'), text)}"  # noqa: S608 fixed SQL fragments; the search text is a bound parameter
    )
    deals = (
        f"SELECT d.id FROM tracker_deal d WHERE {_own('d', ('title',), text)} "  # noqa: S608 fixed SQL fragments; the search text is a bound parameter
        f"UNION ALL SELECT dp.deal_id FROM tracker_dealparty dp WHERE dp.party_id IN ({parties})"
    )
    return f"SELECT l.review_id FROM tracker_reviewdeal l WHERE l.deal_id IN ({deals})"  # noqa: S608 fixed SQL fragments; the search text is a bound parameter


def reviews_search(environ, text: str, size: int = 50):
    """/api/v1/reviews/?q=... : the first page of a proceedings search, as the API answers it
    (ranked when few, the list's order walked when many; counted or estimated the same way)."""
    conn = connection()
    escaped = text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    args = {"q": text, "like": f"%{escaped}%"}  # LIKE's own characters taken literally
    own, by_deal = _own("r", ("reference", "docket_number"), text), _reviews_by_deal(text)
    matches = f"{own} OR r.id IN ({by_deal})"
    ids = [
        row[0]
        for row in conn.execute(
            f"SELECT r.id FROM tracker_review r WHERE {own} UNION ALL {by_deal} LIMIT {RANKED_MATCHES + 1}",  # noqa: S608 fixed SQL fragments; the search text is a bound parameter
            args,
        )
    ]
    estimate = False
    if len(ids) > RANKED_MATCHES:
        estimate = True
        count = _planned(conn, f"SELECT r.id FROM tracker_review r WHERE {matches}", args)  # noqa: S608 fixed SQL fragments; the search text is a bound parameter
        # The walk down the list's index, the page's rows joined as they are read.
        rows = conn.execute(
            f"SELECT {REVIEW_COLUMNS} {REVIEW_JOINS} WHERE {matches} "  # noqa: S608 fixed SQL fragments; the search text is a bound parameter
            "ORDER BY r.opened_on DESC NULLS FIRST, r.id DESC LIMIT %(size)s",
            {**args, "size": size + 1},
        ).fetchall()
        more = len(rows) > size
    else:
        count = len(set(ids))
        rows = (
            conn.execute(
                f"SELECT {REVIEW_COLUMNS} {REVIEW_JOINS} WHERE r.id = ANY(%(ids)s) ORDER BY "
                "ts_rank(r.search_document, websearch_to_tsquery('english', %(q)s)) DESC, "
                "r.opened_on DESC NULLS FIRST, r.id DESC LIMIT %(size)s",
                {**args, "ids": sorted(set(ids)), "size": size},
            ).fetchall()
            if ids
            else []
        )
        more = count > size
    page = rows[:size]
    covered = _covered(conn, page) if page else {}
    body = {
        "count": count,
        "next": _link(environ, {"page": 2, "q": text}) if more else None,
        "previous": None,
        "results": [_review(r, covered, _site(environ)) for r in page],
    }
    if estimate:
        body["count_is_estimate"] = True
    return body


def reviews(environ, params):
    """/api/v1/reviews/?regulator=a,b&open=true|false&page_size=N (newest opened first)."""
    if "cursor" in params:
        return reviews_after(environ, params["cursor"][0])
    if "q" in params:
        return reviews_search(environ, params["q"][0])
    where, args = [], []
    if "regulator" in params:
        where.append("g.slug = ANY(%s)")
        args.append(params["regulator"][0].split(","))
    if "open" in params:
        where.append("r.status = ANY(%s)")
        args.append(list(OPEN if params["open"][0] == "true" else CLOSED))
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    size = int(params.get("page_size", ["50"])[0])
    conn = connection()
    count = conn.execute(
        f"SELECT count(*) FROM tracker_review r JOIN regulators_regulator g ON g.id = r.regulator_id {clause}",  # noqa: S608 fixed SQL fragments; the search text is a bound parameter
        args,
    ).fetchone()[0]
    rows = conn.execute(
        f"SELECT {REVIEW_COLUMNS} {REVIEW_JOINS} {clause} ORDER BY r.opened_on DESC, r.id DESC LIMIT %s",
        [*args, size],
    ).fetchall()
    covered = _covered(conn, rows)
    next_link = (
        _link(environ, {**{k: v[0] for k, v in params.items()}, "page": 2})
        if count > size
        else None
    )
    return {
        "count": count,
        "next": next_link,
        "previous": None,
        "results": [_review(r, covered, _site(environ)) for r in rows],
    }


def deal_detail(environ, slug):
    conn = connection()
    deal = conn.execute(
        """SELECT d.id, d.slug, d.title, d.deal_type, d.status, d.announced_on, d.completed_on, d.value, d.currency,
                  (SELECT sum(e.amount) FROM tracker_event e WHERE e.deal_id = d.id AND e.kind = 'investment'),
                  d.sector, d.updated_at, d.summary, d.created_at, d.announced_precision, d.completed_precision,
                  d.value_basis
           FROM tracker_deal d WHERE d.slug = %s""",
        [slug],
    ).fetchone()
    if deal is None:
        return None
    (
        did,
        dslug,
        title,
        dtype,
        status,
        announced,
        completed,
        value,
        currency,
        total,
        sector,
        updated,
        summary,
        created,
        announced_precision,
        completed_precision,
        value_basis,
    ) = deal
    parties = conn.execute(
        """SELECT p.slug, p.name, dp.role FROM tracker_dealparty dp JOIN tracker_party p ON p.id = dp.party_id
           WHERE dp.deal_id = %s ORDER BY dp.role, dp.id""",
        [did],
    ).fetchall()
    reviews = conn.execute(
        """SELECT r.id, g.slug, g.short_name, g.jurisdiction, r.title, r.reference, r.review_type, r.status, r.stage,
                  r.opened_on, r.closed_on, r.outcome, r.outcome_wording, lead.slug, c.slug, c.short_name, c.name,
                  r.docket_number, r.next_deadline, r.deadline_kind, r.url, r.opened_precision,
                  r.formally_opened_on, r.closed_precision
           FROM tracker_reviewdeal l JOIN tracker_review r ON r.id = l.review_id
           JOIN regulators_regulator g ON g.id = r.regulator_id JOIN tracker_deal lead ON lead.id = r.deal_id
           LEFT JOIN regulators_court c ON c.id = r.court_id
           WHERE l.deal_id = %s ORDER BY r.opened_on, r.id""",
        [did],
    ).fetchall()
    roles = conn.execute(
        """SELECT l.review_id, l.role FROM tracker_reviewdeal l JOIN tracker_review r ON r.id = l.review_id
           WHERE l.deal_id = %s ORDER BY r.opened_on DESC NULLS LAST, l.review_id DESC, l.id""",
        [did],
    ).fetchall()
    return {
        "slug": dslug,
        "title": title,
        "page_url": f"{_site(environ)}/deals/{dslug}/",
        "deal_type": dtype,
        "status": status,
        "announced_on": _precise(announced, announced_precision),
        "announced_precision": announced_precision,
        "completed_on": _precise(completed, completed_precision),
        "completed_precision": completed_precision,
        "value": value,
        "value_basis": value_basis,
        "currency": currency,
        "total_committed": total,
        "sector": sector,
        "parties": [{"slug": s, "name": n, "role": r} for s, n, r in parties],
        "updated_at": updated,
        "summary": summary,
        "reviews": [
            {
                "id": rid,
                "regulator": {"slug": gs, "short_name": gn, "jurisdiction": gj},
                "title": rtitle,
                "reference": ref,
                "review_type": rt,
                "status": st,
                "status_label": status_label(st, out),
                "is_open": st in OPEN,
                "stage": stage,
                "opened_on": op,
                "opened_precision": op_precision,
                "formally_opened_on": formally,
                "closed_on": cl,
                "closed_precision": cl_precision,
                "outcome": out,
                "outcome_wording": wording,
                "lead_deal": lead,
                "court": _court(cs, csn, cn),
                "docket_number": docket,
                "next_deadline": nd,
                "deadline_kind": dk,
                "url": url,
            }
            for (
                rid,
                gs,
                gn,
                gj,
                rtitle,
                ref,
                rt,
                st,
                stage,
                op,
                cl,
                out,
                wording,
                lead,
                cs,
                csn,
                cn,
                docket,
                nd,
                dk,
                url,
                op_precision,
                formally,
                cl_precision,
            ) in reviews
        ],
        "review_roles": [{"review": review, "role": role} for review, role in roles],
        "created_at": created,
    }


EVENT_COLUMNS = """
    e.id, d.slug, e.review_id, g.slug, e.kind, e.occurred_on, e.date_precision, e.title, e.body, e.source_url,
    e.source_title, e.source_type, e.source_read_on, e.from_status, e.to_status, e.amount, e.amount_basis,
    e.currency, e.created_at
"""
EVENT_JOINS = """
    FROM tracker_event e JOIN tracker_deal d ON d.id = e.deal_id
    LEFT JOIN tracker_review r ON r.id = e.review_id LEFT JOIN regulators_regulator g ON g.id = r.regulator_id
"""
EVENT_KEYS = (
    "id",
    "deal",
    "review",
    "regulator",
    "kind",
    "occurred_on",
    "date_precision",
    "title",
    "body",
    "source_url",
    "source_title",
    "source_type",
    "source_read_on",
    "from_status",
    "to_status",
    "amount",
    "amount_basis",
    "currency",
    "created_at",
)


def _event(row) -> dict:
    event = dict(zip(EVENT_KEYS, row, strict=True))
    event["occurred_on"] = _precise(event["occurred_on"], event["date_precision"])
    return event


def timeline(environ, slug, params):
    conn = connection()
    deal = conn.execute("SELECT id FROM tracker_deal WHERE slug = %s", [slug]).fetchone()
    if deal is None:
        return None
    size = int(params.get("page_size", ["50"])[0])
    count = conn.execute("SELECT count(*) FROM tracker_event WHERE deal_id = %s", deal).fetchone()[
        0
    ]
    rows = conn.execute(
        f"SELECT {EVENT_COLUMNS} {EVENT_JOINS} WHERE e.deal_id = %s ORDER BY e.occurred_on, e.id LIMIT %s",
        [deal[0], size],
    ).fetchall()
    return {
        "count": count,
        "next": _page_link(environ, 2, size) if count > size else None,
        "previous": None,
        "results": [_event(row) for row in rows],
    }


def events(environ, params):
    size = int(params.get("page_size", ["50"])[0])
    rows = (
        connection()
        .execute(
            f"SELECT {EVENT_COLUMNS} {EVENT_JOINS} ORDER BY e.occurred_on DESC, e.id DESC LIMIT %s",
            [size + 1],
        )
        .fetchall()
    )
    results = [_event(row) for row in rows[:size]]
    more = len(rows) > size
    next_link = (
        f"http://{environ.get('HTTP_HOST')}{environ['PATH_INFO']}?after={results[-1]['id']}"
        if more
        else None
    )
    return {"next": next_link, "previous": None, "results": results}


def app(environ, start_response):
    path = environ["PATH_INFO"]
    params = parse_qs(environ.get("QUERY_STRING", ""))
    parts = [p for p in path.split("/") if p]
    body = None
    if parts[:2] == ["api", "v1"]:
        rest = parts[2:]
        if rest == ["reviews"]:
            body = reviews(environ, params)
        elif rest == ["events"]:
            body = events(environ, params)
        elif len(rest) == 2 and rest[0] == "deals":
            body = deal_detail(environ, rest[1])
        elif len(rest) == 3 and rest[0] == "deals" and rest[2] == "timeline":
            body = timeline(environ, rest[1], params)
    if body is None:
        start_response("404 Not Found", [("Content-Type", "application/json")])
        return [b'{"status":404}']
    payload = _json(body)
    start_response(
        "200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))]
    )
    return [payload]
