"""A deal's money on its page and in the API: an announced ceiling, a committed and a funded
amount are told apart, the headline says what it is, and no amount is ever printed blank."""

import re
from decimal import Decimal

import pytest

from tracker.models import Deal

pytestmark = pytest.mark.django_db


def value_section(client, slug: str) -> str:
    body = client.get(f"/deals/{slug}/").content.decode()
    return body.split('id="value-heading"', 1)[1].split("</section>", 1)[0]


def test_a_tranche_without_an_amount_says_so_instead_of_a_blank(client, demo):
    section = value_section(client, "microsoft-openai")
    assert "USD ," not in section and not re.search(r"USD\s*<", section)
    assert (
        "amount not disclosed, Partnership extended with multi-billion-dollar investment" in section
    )


def test_a_reported_headline_beside_smaller_tranches_says_why(client, demo):
    section = value_section(client, "microsoft-openai")
    assert "USD 13,000,000,000 <small>(reported by the press)</small>" in section
    assert "USD 1,000,000,000 <small>(the tranches below" in section
    assert "is a figure the press reports; the tranches add up to USD 1,000,000,000" in section
    assert "1 tranche came with no amount in its source" in section


def test_an_announced_ceiling_is_shown_as_such_and_not_counted_as_committed(client, demo):
    deal = Deal.objects.get(slug="amazon-anthropic")
    # 1.25 + 2.75 funded, 4 + 5 committed; the "up to $4bn" of the announcement is a ceiling.
    assert deal.total_committed == Decimal("13000000000")
    section = value_section(client, "amazon-anthropic")
    assert (
        "USD 4,000,000,000 <small>(up to (announced ceiling))</small>, Amazon to invest up to $4bn"
        in section
    )
    assert "USD 1,250,000,000 <small>(funded)</small>" in section
    assert "USD 5,000,000,000 <small>(committed)</small>" in section
    assert "value-gap" not in section  # the headline is what the tranches add up to
