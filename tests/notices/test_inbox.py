"""The inbox: scoped to the user's units (subtrees for admins and reviewers), read state, paging."""

import pytest
from django.urls import reverse

from mediamatrix.notices.models import NoticeRead
from mediamatrix.notices.selectors import notice_list, unread_count
from mediamatrix.notices.services import notify

pytestmark = pytest.mark.django_db

INBOX = reverse("notices:inbox")


@pytest.fixture
def notices(world):
    def send(unit, subject, link=""):
        return notify(unit=unit, subject=subject, body=f"{subject}的内容", link=link, verb="t")

    return {
        "village_a": send(world.village_a, "东湖社区通知", link=f"/units/{world.village_a.pk}/"),
        "town_a": send(world.town_a, "东湖街道通知"),
        "county_a": send(world.county_a, "东湖区通知"),
        "county_b": send(world.county_b, "西山县通知"),
        "village_b": send(world.village_b, "西山村通知"),
    }


def subjects(response):
    return [n.subject for n in response.context["page"].object_list]


def test_an_operator_sees_only_the_notices_of_their_own_unit(client, world, notices):
    client.force_login(world.user(world.village_a, "operator"))
    response = client.get(INBOX)
    assert subjects(response) == ["东湖社区通知"]
    assert not response.context["can_widen"]
    # Asking for the subtree changes nothing for a role that cannot widen.
    assert subjects(client.get(INBOX, {"scope": "subtree"})) == ["东湖社区通知"]


def test_admins_widen_to_their_subtree_but_never_beyond(client, world, notices):
    client.force_login(world.user(world.county_a, "admin"))
    assert subjects(client.get(INBOX)) == ["东湖区通知"]
    response = client.get(INBOX, {"scope": "subtree"})
    assert subjects(response) == ["东湖区通知", "东湖街道通知", "东湖社区通知"]  # newest first


def test_reviewers_may_widen_editors_may_not(world, notices):
    reviewer = world.user(world.town_a, "reviewer")
    editor = world.user(world.town_a, "editor")
    assert {n.subject for n in notice_list(reviewer, subtree=True)} == {
        "东湖街道通知",
        "东湖社区通知",
    }
    assert {n.subject for n in notice_list(editor, subtree=True)} == {"东湖街道通知"}


def test_someone_elses_notice_is_not_found(client, world, notices):
    client.force_login(world.user(world.village_a, "operator"))
    for name in ("open", "detail"):
        assert (
            client.get(reverse(f"notices:{name}", args=[notices["village_b"].pk])).status_code
            == 404
        )
        assert (
            client.get(reverse(f"notices:{name}", args=[notices["town_a"].pk])).status_code == 404
        )


def test_opening_marks_read_and_goes_to_the_link(client, world, notices):
    user = world.user(world.village_a, "operator")
    other = world.user(world.village_a, "viewer")
    client.force_login(user)
    notice = notices["village_a"]
    assert unread_count(user) == 1

    response = client.get(reverse("notices:open", args=[notice.pk]))

    assert response.status_code == 302 and response["Location"] == notice.link
    assert unread_count(user) == 0
    assert unread_count(other) == 1  # read state is per person
    page = client.get(INBOX)
    assert [n.is_read for n in page.context["page"].object_list] == [True]
    assert "notice unread" not in page.content.decode()


def test_a_notice_without_a_link_opens_its_full_text(client, world, notices):
    client.force_login(world.user(world.county_a, "viewer"))
    notice = notices["county_a"]
    response = client.get(reverse("notices:open", args=[notice.pk]), follow=True)
    assert response.redirect_chain == [(reverse("notices:detail", args=[notice.pk]), 302)]
    assert "东湖区通知的内容" in response.content.decode()
    assert NoticeRead.objects.filter(notice=notice).count() == 1


def test_a_link_off_the_site_is_never_followed(client, world):
    notice = notify(
        unit=world.village_a, subject="外链", body="", link="//evil.example/x", verb="t"
    )
    client.force_login(world.user(world.village_a, "operator"))
    response = client.get(reverse("notices:open", args=[notice.pk]))
    assert response["Location"] == reverse("notices:detail", args=[notice.pk])
    assert "evil.example" not in client.get(response["Location"]).content.decode()


def test_unread_filter_and_mark_all_read(client, world, notices):
    admin = world.user(world.county_a, "admin")
    client.force_login(admin)
    client.get(reverse("notices:open", args=[notices["county_a"].pk]))
    assert subjects(client.get(INBOX, {"scope": "subtree", "unread": "1"})) == [
        "东湖街道通知",
        "东湖社区通知",
    ]

    response = client.post(reverse("notices:mark-all-read"), {"scope": "subtree"})

    assert response.status_code == 302 and response["Location"] == f"{INBOX}?scope=subtree"
    assert subjects(client.get(INBOX, {"scope": "subtree", "unread": "1"})) == []
    assert not notice_list(admin, subtree=True, unread=True).exists()
    # Nothing outside the view was touched.
    assert not NoticeRead.objects.filter(notice=notices["county_b"]).exists()


def test_mark_all_read_only_marks_the_view_it_was_asked_for(client, world, notices):
    admin = world.user(world.county_a, "admin")
    client.force_login(admin)
    client.post(reverse("notices:mark-all-read"))
    assert unread_count(admin) == 0
    assert notice_list(admin, subtree=True, unread=True).count() == 2


def test_the_inbox_pages(client, world):
    for number in range(25):
        notify(unit=world.village_a, subject=f"通知{number:02d}", body="", verb="t")
    client.force_login(world.user(world.village_a, "operator"))
    first = client.get(INBOX)
    assert subjects(first)[0] == "通知24" and len(subjects(first)) == 20
    assert subjects(client.get(INBOX, {"page": 2})) == [f"通知{n:02d}" for n in range(4, -1, -1)]


def test_the_inbox_needs_a_login(client):
    response = client.get(INBOX)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_unread_count_of_nobody_is_zero(world, notices):
    from django.contrib.auth.models import AnonymousUser

    assert unread_count(AnonymousUser()) == 0


def test_a_superuser_sees_everything_when_widened(world, notices, superuser):
    assert notice_list(superuser).count() == 0  # holds no unit
    assert notice_list(superuser, subtree=True).count() == 5
