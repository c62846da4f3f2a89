"""Deciding through the pages: forms to records, statuses, notices, errors shown, the unit's
answers and appeal, the appeal decided by another reviewer, and the history."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mediamatrix.notices.models import Notice
from mediamatrix.orgs.choices import Role
from mediamatrix.review.models import Appeal, Decision, ReviewItem, UnitResponse
from tests.review.cases import make_case, only_test_check


@pytest.fixture(autouse=True)
def review_check():
    with only_test_check():
        yield


@pytest.fixture
def item(world):
    return make_case(world.account_a, "d1", "这里有标记，还有甲乙丙。", title="震惊！东湖通知")


@pytest.fixture
def reviewer(world):
    return world.user(world.county_a, Role.REVIEWER)


def tomorrow() -> str:
    return (timezone.localdate() + timedelta(days=1)).isoformat()


def decide(client, item, **data):
    fields = {"kind": "correction", "ground": "Q-ERROR", "explanation": "错别字须更正。"}
    fields.update(data)
    if "cited" not in fields:
        fields["cited"] = [f.pk for f in item.findings.all()]
    return client.post(reverse("review:item-decide", args=[item.pk]), fields)


def test_a_correction_with_a_deadline_is_recorded_and_the_unit_told(client, item, reviewer):
    client.force_login(reviewer)
    cited = list(item.findings.filter(rule="review_test.mark"))
    response = decide(client, item, deadline=tomorrow(), cited=[cited[0].pk])
    decision = Decision.objects.get()
    assert response.status_code == 302 and response.url == decision.get_absolute_url()
    assert decision.kind == "correction" and decision.actor == reviewer
    assert list(decision.cited.all()) == cited
    assert timezone.localtime(decision.deadline).date().isoformat() == tomorrow()
    assert decision.statement["local"]["ground"] == "Q-ERROR"
    assert decision.statement["end_date_visibility_restriction"] == tomorrow()
    item.refresh_from_db()
    assert item.status == "decided"
    notice = Notice.objects.get(verb="review.decision")
    assert notice.unit == item.post.account.owner
    assert notice.link == decision.get_absolute_url()


def test_a_dismissal_closes_the_case_without_telling_the_unit(client, item, reviewer):
    client.force_login(reviewer)
    response = decide(client, item, kind="dismiss", ground="", explanation="误报：专有名词。")
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == "closed"
    assert not Notice.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"explanation": "  "}, "请写明理由"),
        ({"deadline": ""}, "责令更正须设定整改期限"),
        ({"kind": "takedown", "ground": ""}, "请选择依据条款"),
    ],
)
def test_missing_reasons_are_shown_on_the_form(client, item, reviewer, data, message):
    client.force_login(reviewer)
    response = decide(client, item, **{"deadline": tomorrow(), **data})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Decision.objects.exists()
    item.refresh_from_db()
    assert item.status == "open"


def test_a_reviewer_of_another_county_cannot_decide(client, world, item):
    client.force_login(world.user(world.county_b, Role.REVIEWER))
    assert decide(client, item, deadline=tomorrow()).status_code == 404
    client.force_login(world.user(world.county_a, Role.OPERATOR))
    assert decide(client, item, deadline=tomorrow()).status_code == 403
    assert not Decision.objects.exists()


def test_a_decided_case_takes_no_second_decision(client, item, reviewer):
    client.force_login(reviewer)
    decide(client, item, kind="warning", ground="Q-ERROR")
    response = decide(client, item, kind="takedown", ground="Q-ERROR")
    assert response.status_code == 400
    assert "该事项已处理" in response.content.decode()
    assert Decision.objects.count() == 1


def test_assignment_to_a_reviewer_of_the_unit(client, world, item, reviewer):
    other = world.user(world.city, Role.REVIEWER)
    outsider = world.user(world.county_b, Role.REVIEWER)
    client.force_login(reviewer)
    client.post(reverse("review:item-assign", args=[item.pk]), {"reviewer": other.pk})
    item.refresh_from_db()
    assert item.assigned_to == other
    client.post(reverse("review:item-assign", args=[item.pk]), {"reviewer": outsider.pk})
    item.refresh_from_db()
    assert item.assigned_to == other  # refused: not a reviewer of this unit
    client.post(reverse("review:item-assign", args=[item.pk]), {"me": "1"})
    item.refresh_from_db()
    assert item.assigned_to == reviewer


# The unit's side -------------------------------------------------------------------------------


@pytest.fixture
def decision(client, item, reviewer):
    client.force_login(reviewer)
    decide(client, item, deadline=tomorrow())
    client.logout()
    return Decision.objects.get()


def test_the_unit_reads_the_statement_in_plain_words(client, world, decision):
    client.force_login(world.user(world.county_a, Role.OPERATOR))
    page = client.get(decision.get_absolute_url())
    body = page.content.decode()
    assert page.status_code == 200
    for text in (
        "责令更正",
        "《政府网站与政务新媒体检查指标》",  # the ground's legal text
        "错别字须更正。",
        "“标记”",  # the cited finding's excerpt
        "问题由系统自动检查发现",
        "人工审核作出（非自动化决定）",
        tomorrow(),
    ):
        assert text in body
    assert 'id="appeal-form"' in body and 'id="response-form"' in body


def test_a_unit_with_view_only_reads_without_forms(client, world, decision):
    client.force_login(world.user(world.county_a, Role.VIEWER))
    body = client.get(decision.get_absolute_url()).content.decode()
    assert 'id="appeal-form"' not in body and 'id="response-form"' not in body
    url = reverse("review:decision-appeal", args=[decision.pk])
    assert client.post(url, {"text": "不服"}).status_code == 403


def test_another_county_does_not_see_the_decision(client, world, decision):
    client.force_login(world.user(world.county_b, Role.OPERATOR))
    assert client.get(decision.get_absolute_url()).status_code == 404


def test_the_unit_reports_the_correction(client, world, decision):
    client.force_login(world.user(world.county_a, Role.EDITOR))
    url = reverse("review:decision-respond", args=[decision.pk])
    response = client.post(
        url, {"kind": "corrected", "text": "已改正错字。", "link": "https://example.org/p/1"}
    )
    assert response.status_code == 302
    answer = UnitResponse.objects.get()
    assert answer.kind == "corrected" and answer.link == "https://example.org/p/1"
    empty = client.post(url, {"kind": "reply", "text": " "})
    assert empty.status_code == 400 and "请填写回复内容" in empty.content.decode()


def test_appeal_then_another_reviewer_reverses_it(client, world, decision, reviewer):
    operator = world.user(world.county_a, Role.OPERATOR)
    client.force_login(operator)
    appeal_url = reverse("review:decision-appeal", args=[decision.pk])
    assert client.post(appeal_url, {"text": "“标记”是本地地名，不是错字。"}).status_code == 302
    assert ReviewItem.objects.get().status == "appealed"
    again = client.post(appeal_url, {"text": "再次申诉"})
    assert again.status_code == 400 and Appeal.objects.count() == 1
    assert "该决定已经申诉过" in again.content.decode()

    # The reviewer who decided may not decide the appeal: the form is not offered, a POST fails.
    client.force_login(reviewer)
    page = client.get(decision.get_absolute_url()).content.decode()
    assert 'id="appeal-decision-form"' not in page and 'id="appeal-self"' in page
    decide_url = reverse("review:appeal-decide", args=[decision.pk])
    refused = client.post(decide_url, {"outcome": "reversed", "explanation": "自己改判"})
    assert refused.status_code == 400 and "作出原决定以外的审核人" in refused.content.decode()
    assert Decision.objects.count() == 1

    second = world.user(world.city, Role.REVIEWER)
    client.force_login(second)
    assert 'id="appeal-decision-form"' in client.get(decision.get_absolute_url()).content.decode()
    done = client.post(decide_url, {"outcome": "reversed", "explanation": "确为地名，撤销。"})
    outcome = Decision.objects.get(appeal__isnull=False)
    assert done.status_code == 302 and done.url == outcome.get_absolute_url()
    assert outcome.appeal_outcome == "reversed" and outcome.kind == "dismiss"
    assert outcome.actor == second
    assert ReviewItem.objects.get().status == "closed"
    assert Notice.objects.filter(verb="review.appeal_outcome").count() == 1


def test_an_appeal_decision_needs_its_reasons(client, world, decision):
    client.force_login(world.user(world.county_a, Role.OPERATOR))
    client.post(reverse("review:decision-appeal", args=[decision.pk]), {"text": "不服"})
    client.force_login(world.user(world.city, Role.REVIEWER))
    url = reverse("review:appeal-decide", args=[decision.pk])
    response = client.post(url, {"outcome": "upheld", "explanation": ""})
    assert response.status_code == 400 and "请写明理由" in response.content.decode()


def test_the_history_reads_in_order(client, world, decision):
    client.force_login(world.user(world.county_a, Role.OPERATOR))
    client.post(reverse("review:decision-appeal", args=[decision.pk]), {"text": "申诉理由甲"})
    client.force_login(world.user(world.city, Role.REVIEWER))
    client.post(
        reverse("review:appeal-decide", args=[decision.pk]),
        {"outcome": "upheld", "explanation": "维持理由乙"},
    )
    response = client.get(decision.item.get_absolute_url())
    kinds = [entry.kind for entry in response.context["history"] if entry.kind != "audit"]
    assert kinds == ["run", "decision", "appeal", "decision"]
    audit = [e.obj.verb for e in response.context["history"] if e.kind == "audit"]
    assert audit == ["review_item_open", "review_decide", "review_appeal", "review_appeal_decide"]
    body = response.content.decode()
    assert body.index("错别字须更正。") < body.index("申诉理由甲") < body.index("维持理由乙")
    outcome_page = client.get(Decision.objects.get(appeal__isnull=False).get_absolute_url())
    assert "申诉所作的复核" in outcome_page.content.decode()
