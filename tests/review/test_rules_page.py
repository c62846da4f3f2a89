"""The rules page: every registered check, and each rule's precision measured from reviewers'
outcomes on a constructed history (confirmations, dismissals, uncited findings, appeals)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mediamatrix.orgs.choices import Role
from mediamatrix.review.selectors import rule_outcomes
from mediamatrix.review.services.decisions import appeal_decide, appeal_file, decision_make
from tests.review.cases import make_case, only_test_check


@pytest.fixture(autouse=True)
def review_check():
    with only_test_check():
        yield


def _cite(item, *rules):
    return [f.pk for f in item.findings.filter(rule__in=[f"review_test.{r}" for r in rules])]


@pytest.fixture
def history(world):
    first = world.user(world.county_a, Role.REVIEWER)
    second = world.user(world.city, Role.REVIEWER)
    unit = world.user(world.county_a, Role.OPERATOR)
    later = timezone.now() + timedelta(days=2)

    # 1: a correction citing two of three findings; the third counts as a false alarm.
    one = make_case(world.account_a, "h1", "标记，甲乙丙丁")
    decision_make(actor=first, item=one, kind="correction", ground="Q-ERROR", explanation="改",
                  cited_ids=_cite(one, "mark", "abc"), deadline=later)  # fmt: skip
    # 2: dismissed.
    two = make_case(world.account_a, "h2", "标记")
    decision_make(actor=first, item=two, kind="dismiss", ground="", explanation="误报",
                  cited_ids=_cite(two, "mark"))  # fmt: skip
    # 3: a takedown reversed on appeal: its confirmations become rejections.
    three = make_case(world.account_a, "h3", "标记", title="震惊")
    taken = decision_make(actor=first, item=three, kind="takedown", ground="Q-ERROR",
                          explanation="删", cited_ids=_cite(three, "mark", "headline"))  # fmt: skip
    appeal = appeal_file(actor=unit, decision=taken, text="不服")
    appeal_decide(actor=second, appeal=appeal, outcome="reversed", explanation="撤销")
    # 4: still open.
    make_case(world.account_a, "h4", "标记")
    # 5: a correction upheld on appeal stays confirmed.
    five = make_case(world.account_a, "h5", "标记")
    kept = decision_make(actor=first, item=five, kind="correction", ground="Q-ERROR",
                         explanation="改", cited_ids=_cite(five, "mark"), deadline=later)  # fmt: skip
    appeal = appeal_file(actor=unit, decision=kept, text="不服")
    appeal_decide(actor=second, appeal=appeal, outcome="upheld", explanation="维持")


def counts(user):
    return {o.rule: (o.confirmed, o.rejected, o.pending) for o in rule_outcomes(user)}


def test_precision_counts_follow_the_outcomes(world, history, superuser):
    assert counts(superuser) == {
        "review_test.mark": (2, 2, 1),
        "review_test.abc": (1, 0, 0),
        "review_test.bcd": (0, 1, 0),
        "review_test.headline": (0, 1, 0),
    }
    mark = next(o for o in rule_outcomes(superuser) if o.rule == "review_test.mark")
    assert mark.precision == 0.5


def test_outcomes_are_counted_inside_the_users_scope(world, history):
    assert counts(world.user(world.county_b, Role.VIEWER)) == {}
    assert counts(world.user(world.county_a, Role.VIEWER))["review_test.mark"] == (2, 2, 1)


def test_one_grouped_query_whatever_the_history(
    world, history, superuser, django_assert_num_queries
):
    with django_assert_num_queries(1):
        rule_outcomes(superuser)


def test_the_page_lists_checks_and_shows_the_numbers(client, world, history, superuser):
    client.force_login(superuser)
    response = client.get(reverse("review:rules"))
    body = response.content.decode()
    assert "审核页面测试检查" in body and "review_test" in body
    assert 'data-rule="review_test.mark"' in body and "50.0%" in body
    chart = response.context["chart"]
    assert chart["rules"] == [
        "review_test.abc", "review_test.bcd", "review_test.headline", "review_test.mark",
    ]  # fmt: skip
    assert chart["precision"] == [100.0, 0.0, 0.0, 50.0]
    assert 'id="rules-chart-data"' in body
