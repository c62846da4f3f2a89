"""The menu shows how many notices of the user's units are unread, on every page."""

import pytest
from django.urls import reverse

from mediamatrix.notices.services import notify
from mediamatrix.orgs.choices import Role

pytestmark = pytest.mark.django_db


def _badge(client) -> str | None:
    nav = client.get(reverse("orgs:units")).context["nav_items"]
    inbox = next(item for item in nav if item["url"] == reverse("notices:inbox"))
    return inbox["badge"]


def test_the_inbox_entry_counts_unread_notices_and_drops_them_once_read(client, world):
    operator = world.user(world.village_a, Role.OPERATOR)
    client.force_login(operator)
    assert _badge(client) == 0
    notice = notify(unit=world.village_a, subject="请更正", body="正文", verb="t")
    notify(unit=world.village_b, subject="别的村", body="正文", verb="t")
    assert _badge(client) == 1
    page = client.get(reverse("orgs:units"))
    assert b'class="badge-count"' in page.content
    client.get(reverse("notices:open", args=[notice.pk]))
    assert _badge(client) == 0
