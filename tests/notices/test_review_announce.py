"""review.notices.announce: the account's unit is told about a decision and an appeal outcome."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from mediamatrix.ingestion.models import Post
from mediamatrix.ingestion.records import PostRecord
from mediamatrix.ingestion.services import posts_upsert
from mediamatrix.notices.models import Notice
from mediamatrix.review.models import (
    Appeal,
    CheckFinding,
    CheckRun,
    Decision,
    ReviewItem,
    UnitResponse,
)
from mediamatrix.review.notices import announce
from tests.factories import AccountFactory, UserFactory

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
TITLE = "震惊！东湖区居然发生了这件事"


def a_post(account):
    posts_upsert(
        actor=None,
        records=[
            PostRecord(
                account_id=account.pk,
                external_id="p1",
                title=TITLE,
                body_html="<p>东湖区召开防汛工作会议。</p>",
                published_at=datetime(2026, 11, 20, 9, 30, tzinfo=SHANGHAI),
            )
        ],
        source="test",
    )
    return Post.objects.get(account=account, external_id="p1")


def a_decision(post, *, kind="correction", ground="P2019-7-1", appeal=None, outcome=""):
    item = ReviewItem.objects.filter(post=post).first() or ReviewItem.objects.create(
        post=post, owner_path=post.owner_path, status="decided", severity="medium"
    )
    run = CheckRun.objects.create(
        post=post, owner_path=post.owner_path, content_hash="h", status="done"
    )
    finding = CheckFinding.objects.create(
        run=run, post=post, item=item, owner_path=post.owner_path, rule="clickbait.shock",
        check_name="clickbait", check_version="1", category="clickbait", severity="medium",
        score=0.9, field="title", start=0, end=3, excerpt="震惊！", message="标题使用夸张用语",
    )  # fmt: skip
    decision = Decision.objects.create(
        item=item,
        post=post,
        owner_path=post.owner_path,
        kind=kind,
        actor=UserFactory(),
        explanation="标题夸大，与正文不符。",
        local_ground=ground,
        deadline=datetime(2026, 12, 1, 18, 0, tzinfo=SHANGHAI) if kind == "correction" else None,
        schema_version="mm-sor-1",
        appeal=appeal,
        appeal_outcome=outcome,
    )
    decision.cited.set([finding])
    return decision


def expected_link(decision):
    try:
        return reverse("review:decision", args=[decision.pk])
    except NoReverseMatch:
        return ""


def test_a_decision_notifies_the_accounts_unit(world):
    decision = a_decision(a_post(world.account_a))

    with translation.override(
        "en"
    ):  # the reviewer's pages in English: the unit still reads Chinese
        announce(decision, "decision")

    notice = Notice.objects.get()
    assert notice.unit == world.county_a
    assert notice.subject == f"【内容审核】《{TITLE}》：责令更正"
    assert notice.verb == "review.decision"
    assert (notice.object_type, notice.object_id) == ("review.decision", str(decision.pk))
    assert notice.dedupe_key == f"review.decision:{decision.pk}"
    assert notice.link == expected_link(decision)
    assert notice.body.splitlines() == [
        "账号：东湖发布（微信公众号）",
        f"稿件：《{TITLE}》（发布于 2026-11-20 09:30）",
        "处理决定：责令更正",
        "依据：《网络信息内容生态治理规定》第七条第（一）项（使用夸张标题，内容与标题严重不符）",
        "理由：标题夸大，与正文不符。",
        "整改期限：2026-12-01 18:00 前",
        "引用的问题：",
        "1. “震惊！”：标题使用夸张用语",
        "办理方式：请在整改期限前更正稿件，并在平台上回复“已更正”（附更正后的链接）。"
        "对决定有异议的，可在平台上提出申诉（每个决定可申诉一次）。",
    ]


def test_announcing_twice_makes_one_notice(world):
    decision = a_decision(a_post(world.account_a))
    announce(decision, "decision")
    announce(decision, "decision")
    assert Notice.objects.count() == 1


def test_an_appeal_outcome_is_a_second_notice(world):
    post = a_post(world.account_a)
    original = a_decision(post, kind="takedown")
    response = UnitResponse.objects.create(
        decision=original, kind="appeal", text="标题属实。", actor=UserFactory()
    )
    appeal = Appeal.objects.create(decision=original, response=response, owner_path=post.owner_path)
    outcome = a_decision(post, kind="dismiss", ground="", appeal=appeal, outcome="reversed")

    announce(original, "decision")
    announce(outcome, "appeal_outcome")

    notice = Notice.objects.get(verb="review.appeal_outcome")
    assert notice.subject == f"【申诉结果】《{TITLE}》：撤销原决定"
    assert notice.dedupe_key == f"review.appeal_outcome:{outcome.pk}"
    body = notice.body
    assert "申诉复核结果：撤销原决定" in body and "原决定已撤销，无需整改。" in body
    assert "处理决定" not in body and "依据" not in body and "整改期限" not in body
    assert Notice.objects.count() == 2


def test_an_upheld_appeal_repeats_what_to_do_and_closes_the_path(world):
    post = a_post(world.account_a)
    original = a_decision(post, kind="takedown", ground="Q-COPY")
    response = UnitResponse.objects.create(
        decision=original, kind="appeal", text="系原创。", actor=UserFactory()
    )
    appeal = Appeal.objects.create(decision=original, response=response, owner_path=post.owner_path)
    outcome = a_decision(post, kind="takedown", ground="Q-COPY", appeal=appeal, outcome="upheld")

    announce(outcome, "appeal_outcome")

    notice = Notice.objects.get()
    assert notice.subject.endswith("：维持原决定")
    assert "处理决定：责令删除" in notice.body
    assert "《中华人民共和国著作权法》（抄袭、洗稿或将他人作品声明为原创）" in notice.body
    assert notice.body.endswith(
        "请尽快删除该稿件，并在平台上回复“已删除”。申诉复核结果为最终决定，不能再次申诉。"
    )


def test_an_ownerless_account_tells_the_unit_at_the_top_of_the_path(world):
    account = AccountFactory(owner=None, owner_path="")
    post = a_post(account)
    post.owner_path = world.village_a.path  # as the case was filed
    decision = a_decision(post, kind="warning", ground="Q-ERROR")
    announce(decision, "decision")
    assert Notice.objects.get().unit == world.city


def test_no_unit_no_notice(world):
    post = a_post(AccountFactory(owner=None, owner_path=""))
    announce(a_decision(post, kind="warning", ground="Q-ERROR"), "decision")
    assert not Notice.objects.exists()


def test_the_notice_is_in_the_units_inbox(client, world):
    announce(a_decision(a_post(world.account_a)), "decision")
    client.force_login(world.user(world.county_a, "editor"))
    page = client.get(reverse("notices:inbox")).content.decode()
    assert f"【内容审核】《{TITLE}》：责令更正" in page
    client.force_login(world.user(world.county_b, "editor"))
    assert TITLE not in client.get(reverse("notices:inbox")).content.decode()
