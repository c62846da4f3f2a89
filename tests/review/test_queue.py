"""The review queue and one case's page: scoping, filters, counts, the marked text, evidence."""

import pytest
from django.urls import reverse

from mediamatrix.orgs.choices import Role
from mediamatrix.review.highlight import Span, highlight
from mediamatrix.review.models import CheckFinding, Debunk, ReviewItem
from mediamatrix.review.selectors import QueueFilters, item_list, item_status_counts
from tests.review.cases import ingest, make_case, only_test_check


@pytest.fixture(autouse=True)
def review_check():
    with only_test_check():
        yield


@pytest.fixture
def cases(world):
    """Two cases in county A (one high, one medium) and one in county B."""
    return {
        "a_high": make_case(world.account_a, "a1", "这里有标记。"),
        "a_medium": make_case(world.account_a, "a2", "正文没有问题。", title="震惊！东湖通知"),
        "b_high": make_case(world.account_b, "b1", "西山也有标记。"),
    }


def titles(response):
    return [item.post.title for item in response.context["page"].object_list]


# Scoping --------------------------------------------------------------------------------------


def test_a_county_reviewer_sees_only_their_county(client, world, cases):
    client.force_login(world.user(world.county_a, Role.REVIEWER))
    response = client.get(reverse("review:queue"))
    assert response.status_code == 200
    shown = set(response.context["page"].object_list)
    assert shown == {cases["a_high"], cases["a_medium"]}
    assert "西山发布" not in response.content.decode()


def test_a_case_outside_the_scope_is_404(client, world, cases):
    client.force_login(world.user(world.county_a, Role.REVIEWER))
    assert client.get(cases["b_high"].get_absolute_url()).status_code == 404
    assert client.get(cases["a_high"].get_absolute_url()).status_code == 200


def test_the_city_sees_every_county_and_a_scope_picks_one(client, world, cases):
    client.force_login(world.user(world.city, Role.REVIEWER))
    assert len(client.get(reverse("review:queue")).context["page"].object_list) == 3
    response = client.get(reverse("review:queue"), {"unit": world.county_b.pk})
    assert list(response.context["page"].object_list) == [cases["b_high"]]


def test_a_scope_outside_sight_is_404(client, world, cases):
    client.force_login(world.user(world.county_a, Role.REVIEWER))
    assert client.get(reverse("review:queue"), {"unit": world.county_b.pk}).status_code == 404


def test_a_viewer_reads_the_case_but_cannot_act(client, world, cases):
    client.force_login(world.user(world.county_a, Role.VIEWER))
    item = cases["a_high"]
    page = client.get(item.get_absolute_url())
    assert page.status_code == 200 and not page.context["may_decide"]
    assert 'id="decision-form"' not in page.content.decode()
    post = client.post(reverse("review:item-recheck", args=[item.pk]))
    assert post.status_code == 403


# Filters, order and counts ---------------------------------------------------------------------


def test_the_queue_is_worst_first_then_oldest(world, cases, superuser):
    items = list(item_list(superuser, QueueFilters()))
    assert [i.severity for i in items] == ["high", "high", "medium"]
    assert items[0] == cases["a_high"]  # the older of the two high cases


def test_filters_by_category_check_severity_and_assignment(client, world, cases):
    reviewer = world.user(world.city, Role.REVIEWER)
    cases["b_high"].assigned_to = reviewer
    cases["b_high"].save()
    client.force_login(reviewer)
    url = reverse("review:queue")
    assert titles(client.get(url, {"category": "clickbait"})) == ["震惊！东湖通知"]
    assert len(titles(client.get(url, {"check": "review_test"}))) == 3
    assert len(titles(client.get(url, {"severity": "high"}))) == 2
    mine = client.get(url, {"assigned": "me"}).context["page"].object_list
    assert list(mine) == [cases["b_high"]]
    assert len(client.get(url, {"assigned": "none"}).context["page"].object_list) == 2


def test_the_queue_opens_on_open_cases_and_counts_every_status(client, world, cases, superuser):
    cases["a_medium"].status = "closed"
    cases["a_medium"].save()
    client.force_login(superuser)
    response = client.get(reverse("review:queue"))
    assert len(response.context["page"].object_list) == 2
    counts = item_status_counts(superuser, QueueFilters(status=""))
    assert counts["open"] == 2 and counts["closed"] == 1 and counts["appealed"] == 0
    everything = client.get(reverse("review:queue"), {"status": ""})
    assert len(everything.context["page"].object_list) == 3


def test_each_row_shows_account_unit_count_and_categories(client, world, cases, superuser):
    client.force_login(superuser)
    body = client.get(reverse("review:queue")).content.decode()
    assert "东湖发布" in body and "东湖区" in body and "标题党" in body
    row = next(i for i in client.get(reverse("review:queue")).context["page"].object_list)
    assert row.finding_count == 1


def test_bulk_assign_to_me_skips_cases_out_of_reach(client, world, cases):
    reviewer = world.user(world.county_a, Role.REVIEWER)
    client.force_login(reviewer)
    pks = [cases["a_high"].pk, cases["a_medium"].pk, cases["b_high"].pk]
    response = client.post(reverse("review:assign-bulk"), {"items": pks}, follow=True)
    assert response.status_code == 200
    assigned = set(ReviewItem.objects.filter(assigned_to=reviewer))
    assert assigned == {cases["a_high"], cases["a_medium"]}
    assert "1 项不在您的审核范围内" in response.content.decode()


# The marked text -------------------------------------------------------------------------------


def test_overlapping_spans_are_cut_into_pieces_listing_every_finding():
    html = highlight("前甲乙丙丁后", [Span(1, 4, 7, "medium"), Span(2, 5, 8, "low")])
    assert html == (
        '前<mark class="review-hl sev-medium" id="span-7" data-findings="7">甲</mark>'
        '<mark class="review-hl sev-medium review-overlap" id="span-8" data-findings="7 8">'
        "乙丙</mark>"
        '<mark class="review-hl sev-low" data-findings="8">丁</mark>后'
    )


def test_marked_text_is_escaped_and_stray_spans_are_clipped():
    html = highlight("<b>&坏</b>", [Span(3, 5, 1, "high"), Span(40, 50, 2, "high")])
    assert "<b>" not in html
    assert html.startswith("&lt;b&gt;")
    assert '<mark class="review-hl sev-high" id="span-1" data-findings="1">&amp;坏</mark>' in html


def test_the_case_page_marks_spans_on_traditional_text(client, world, superuser):
    item = make_case(world.account_a, "t1", "這裡有個標記，還有甲乙丙丁。", title="震驚！通知")
    client.force_login(superuser)
    body = client.get(item.get_absolute_url()).content.decode()
    by_rule = {f.rule: f for f in CheckFinding.objects.filter(item=item)}
    assert by_rule["review_test.mark"].excerpt == "標記"
    mark = by_rule["review_test.mark"]
    assert f'id="span-{mark.pk}" data-findings="{mark.pk}">標記</mark>' in body
    headline = by_rule["review_test.headline"]
    assert f'data-findings="{headline.pk}">震驚</mark>！通知' in body
    abc, bcd = by_rule["review_test.abc"], by_rule["review_test.bcd"]
    assert f'data-findings="{abc.pk} {bcd.pk}">乙丙</mark>' in body


def test_post_text_with_markup_is_escaped_on_the_case_page(client, world, superuser):
    item = make_case(world.account_a, "x1", "标记 &lt;script&gt;alert(1)&lt;/script&gt;")
    client.force_login(superuser)
    body = client.get(item.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in body
    assert "&lt;script&gt;alert(1)" in body


def test_the_decision_form_suggests_the_ground_and_cites_every_finding(client, world, superuser):
    item = make_case(world.account_a, "g1", "有标记也有甲乙丙", title="震惊")
    client.force_login(superuser)
    form = client.get(item.get_absolute_url()).context["decision_form"]
    assert form.initial["ground"] == "Q-ERROR"  # the worst finding is a typo (high)
    assert sorted(form.initial["cited"]) == sorted(str(f.pk) for f in item.findings.all())


# Evidence --------------------------------------------------------------------------------------


def test_an_originality_finding_shows_the_earlier_post_side_by_side(client, world, superuser):
    earlier = ingest(
        world.account_b, "orig", "原创的第一段文字。", title="原来的稿件", hours_ago=30
    )
    item = make_case(
        world.account_a, "c1", "原创的第一段文字。抄来", review_test_earlier=str(earlier.pk)
    )
    client.force_login(superuser)
    response = client.get(item.get_absolute_url())
    panel = response.context["evidence"][0]
    assert panel["earlier"] == earlier
    body = response.content.decode()
    assert "原来的稿件" in body and "西山发布" in body


def test_the_earlier_post_is_not_shown_outside_the_readers_scope(client, world):
    earlier = ingest(world.account_b, "orig", "原文。", title="西山的原稿", hours_ago=30)
    item = make_case(world.account_a, "c2", "原文。抄来", review_test_earlier=str(earlier.pk))
    client.force_login(world.user(world.county_a, Role.REVIEWER))
    response = client.get(item.get_absolute_url())
    assert response.context["evidence"][0]["earlier"] is None
    assert "西山的原稿" not in response.content.decode()


def test_a_rumour_finding_shows_the_matched_debunk(client, world, superuser):
    debunk = Debunk.objects.create(
        claim="自来水被污染不能喝", debunk_text="经检测，水质符合国家标准。", source="市卫健委"
    )
    item = make_case(world.account_a, "r1", "谣传自来水被污染", review_test_debunk=debunk.pk)
    client.force_login(superuser)
    body = client.get(item.get_absolute_url()).content.decode()
    assert "经检测，水质符合国家标准。" in body
    assert 'href="https://example.org/debunk/1"' in body


def test_recheck_runs_the_checks_again_into_the_same_case(client, world):
    item = make_case(world.account_a, "k1", "这里有标记。")
    client.force_login(world.user(world.county_a, Role.REVIEWER))
    response = client.post(reverse("review:item-recheck", args=[item.pk]))
    assert response.status_code == 302
    assert item.post.check_runs.count() == 2
    assert item.findings.count() == 2
