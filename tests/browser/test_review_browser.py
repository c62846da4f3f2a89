"""The review flow in a real browser: a reviewer filters the queue, opens a case, sees the marked
text and orders a correction; the unit's operator opens the decision from the inbox and appeals;
another reviewer reverses the decision."""

from datetime import timedelta

import pytest
from django.utils import timezone

from mediamatrix.orgs.choices import Role
from mediamatrix.review.models import Decision, ReviewItem
from tests.review.cases import make_case, only_test_check

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def review_check():
    with only_test_check():
        yield


def sign_in_as(page, live_server, login, user):
    page.context.clear_cookies()
    login(user.username)


def test_queue_decision_appeal_and_reversal(page, live_server, login, world):
    typo = make_case(world.account_a, "b1", "今天发布了一条含有標記的消息。", title="东湖通知")
    make_case(world.account_a, "b2", "正文没有问题。", title="震惊！东湖发生了这件事")
    make_case(world.account_b, "b3", "西山的标记。", title="西山通知")
    reviewer = world.user(world.county_a, Role.REVIEWER)
    operator = world.user(world.county_a, Role.OPERATOR)
    second = world.user(world.city, Role.REVIEWER)

    # The reviewer narrows the queue to typos and opens the case.
    sign_in_as(page, live_server, login, reviewer)
    page.goto(f"{live_server.url}/review/")
    assert page.locator("#queue-table tbody tr").count() == 2  # county B is out of sight
    page.select_option("#queue-filters select[name=category]", "typo")
    page.click("#queue-filters button[type=submit]")
    page.wait_for_url("**/review/?*category=typo*")
    rows = page.locator("#queue-table tbody tr")
    assert rows.count() == 1 and "东湖通知" in rows.inner_text()
    page.click("#queue-table a.review-item-link")
    page.wait_for_url(f"**/review/items/{typo.pk}/")

    # The span is marked on the text as written (traditional), and a finding points to it.
    mark = page.locator("#review-body mark.review-hl")
    assert mark.inner_text() == "標記"
    page.click("#review-findings .review-finding-link")
    assert "review-active" in mark.get_attribute("class")

    page.check("#decision-form input[name=kind][value=correction]")
    assert page.input_value("#decision-form select[name=ground]") == "Q-ERROR"
    page.fill("#decision-form textarea[name=explanation]", "“標記”系错别字，请更正。")
    deadline = timezone.localdate() + timedelta(days=5)
    page.fill("#decision-form input[name=deadline]", deadline.isoformat())
    page.click("#decision-form button[type=submit]")
    page.wait_for_url("**/review/decisions/*/")
    assert "责令更正" in page.inner_text("#decision-heading")
    decision = Decision.objects.get()
    assert timezone.localtime(decision.deadline).date() == deadline

    # The unit's operator finds the notice in the inbox, reads the decision and appeals.
    sign_in_as(page, live_server, login, operator)
    page.goto(f"{live_server.url}/notices/")
    page.click("#notice-list .notice-subject")
    page.wait_for_url(f"**/review/decisions/{decision.pk}/")
    assert "“標記”系错别字，请更正。" in page.inner_text("#statement")
    assert deadline.isoformat() in page.inner_text("#statement-deadline")
    page.fill("#appeal-form textarea[name=text]", "“標記”是本地商号，并非错字。")
    page.click("#appeal-form button[type=submit]")
    page.wait_for_selector("#appeal")
    assert "申诉待复核" in page.inner_text("#appeal")
    assert page.locator("#appeal-form").count() == 0  # one appeal per decision

    # The reviewer who decided is not offered the appeal; another reviewer reverses it.
    sign_in_as(page, live_server, login, reviewer)
    page.goto(f"{live_server.url}{decision.get_absolute_url()}")
    assert page.locator("#appeal-decision-form").count() == 0
    sign_in_as(page, live_server, login, second)
    page.goto(f"{live_server.url}{decision.get_absolute_url()}")
    page.check("#appeal-decision-form input[name=outcome][value=reversed]")
    page.fill("#appeal-decision-form textarea[name=explanation]", "经核实为商号，撤销原决定。")
    page.click("#appeal-decision-form button[type=submit]")
    page.wait_for_url("**/review/decisions/*/")
    assert "撤销原决定" in page.inner_text("#decision-heading")
    assert ReviewItem.objects.get(pk=typo.pk).status == "closed"
    outcome = Decision.objects.get(appeal__isnull=False)
    assert outcome.actor == second and outcome.appeal_outcome == "reversed"
