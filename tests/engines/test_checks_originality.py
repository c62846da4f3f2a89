"""The originality check: copies, reprints and rewrites against an index of earlier posts."""

from datetime import datetime, timedelta

import pytest

from mediamatrix.engines.checks import CheckContext, Document, run_checks
from mediamatrix.engines.dedup import IndexedDocument, MemoryIndex, exact_jaccard, signature_of

T0 = datetime(2026, 11, 20, 9, 0)
ORIGINAL = (
    "11月20日，临江市召开全市防汛抗旱工作会议，总结今年以来的工作，部署下一阶段重点任务。"
    "会议指出，各地要压实防汛责任，加强隐患排查，确保群众生命财产安全。"
    "会议要求，各相关部门要加强值班值守，及时发布预警信息，做好应急物资储备。"
    "据了解，今年全市共排查整治各类隐患一百二十处，转移安置群众三千余人。"
    "下一步，全市将持续完善防汛预案，组织开展应急演练，提升基层防汛能力。"
    "市水利局负责人表示，将加强水库、堤防巡查，发现险情第一时间处置。"
    "气象部门提醒，近期降雨仍较频繁，请市民关注天气变化，尽量减少外出。"
)
TRADITIONAL_COPY = (
    "11月20日，臨江市召開全市防汛抗旱工作會議，總結今年以來的工作，部署下一階段重點任務。"
    "會議指出，各地要壓實防汛責任，加強隱患排查，確保群衆生命財產安全。"
    "會議要求，各相關部門要加強值班值守，及時發佈預警信息，做好應急物資儲備。"
    "據了解，今年全市共排查整治各類隱患一百二十處，轉移安置群衆三千餘人。"
    "下一步，全市將持續完善防汛預案，組織開展應急演練，提升基層防汛能力。"
    "市水利局負責人表示，將加強水庫、堤防巡查，發現險情第一時間處置。"
    "氣象部門提醒，近期降雨仍較頻繁，請市民關注天氣變化，盡量減少外出。"
)
REWRITE = (
    "日前，临江市举行全市防汛抗旱工作会议，总结今年以来的工作，部署下一阶段重点任务。"
    "会上强调，各地要压实防汛责任，强化隐患排查，确保群众生命财产安全。"
    "会议要求，各有关部门要加强值班值守，第一时间发布预警信息，做好应急物资储备。"
    "据悉，今年全市共排查整治各类隐患一百二十处，转移安置群众三千余人。"
    "接下来，全市将不断完善防汛预案，组织开展应急演练，提升基层防汛能力。"
    "市水利局有关负责人称，将加强水库、堤防巡查，一旦发现险情马上处置。"
    "小编提醒大家，雨天出行注意安全。"
)
UNRELATED = (
    "东湖区图书馆将于本周六举办亲子阅读活动，邀请儿童文学作家与小读者面对面交流，"
    "现场还将开展绘本朗读、手工制作等互动环节，欢迎广大家长带孩子报名参加。"
    "活动免费，名额有限，报满即止，报名请拨打图书馆服务电话。"
)


@pytest.fixture
def context() -> CheckContext:
    index = MemoryIndex()
    index.add(
        IndexedDocument(
            "101",
            signature_of(ORIGINAL),
            account="1",
            account_name="临江发布",
            published_at=T0,
            declared_original=True,
            title="临江市部署防汛抗旱工作",
        )
    )
    return CheckContext(resources={"near_duplicates": index})


def _check(context, body, *, hours=3, account="2", **fields):
    doc = Document(
        title="防汛会议召开",
        body=body,
        account=account,
        published_at=T0 + timedelta(hours=hours),
        document_id="202",
        **fields,
    )
    return run_checks(doc, context, only=["originality"]).findings


def test_declared_original_on_a_copy_is_high(context):
    [finding] = _check(context, ORIGINAL + "\n编辑：王明", declared_original=True)
    assert finding.rule == "originality.declared_original_copy"
    assert (finding.category, finding.severity) == ("originality", "high")
    evidence = finding.evidence
    assert evidence["document_id"] == "101" and evidence["account_name"] == "临江发布"
    assert evidence["title"] == "临江市部署防汛抗旱工作"
    assert evidence["published_at"] == T0.isoformat()
    assert evidence["similarity"] > 0.85
    assert "临江发布" in finding.message and "2026-11-20 09:00" in finding.message
    assert (finding.field, finding.start) == ("body", 0)  # the copied body


def test_a_copy_from_the_same_account_or_published_first_is_no_finding(context):
    assert _check(context, ORIGINAL, account="1", declared_original=True) == ()
    assert _check(context, ORIGINAL, hours=-2, declared_original=True) == ()


def test_traditional_copy_without_source_is_an_unattributed_reprint(context):
    [finding] = _check(context, TRADITIONAL_COPY)
    assert finding.rule == "originality.unattributed_reprint"
    assert finding.severity == "high"
    # The span indexes the text as written: the traditional body.
    assert finding.excerpt == TRADITIONAL_COPY


def test_a_copy_signed_with_its_own_name_credits_nobody(context):
    [finding] = _check(context, ORIGINAL + "\n来源：东湖发布")
    assert finding.rule == "originality.unattributed_reprint"
    assert finding.severity == "medium"  # it names something, just not the source
    assert finding.evidence["named_sources"] == ["东湖发布"]


@pytest.mark.parametrize(
    "body, fields",
    [
        (ORIGINAL + "\n来源：临江发布", {}),
        (TRADITIONAL_COPY + "\n（轉自臨江發布微信公眾號）", {}),
        (ORIGINAL, {"declared_source": "临江发布"}),
        (ORIGINAL + "\n来源：新华社", {}),  # a listed news organisation: the wire's first source
    ],
)
def test_a_reprint_naming_its_source_is_counted_not_queued(context, body, fields):
    [finding] = _check(context, body, **fields)
    assert finding.rule == "originality.reprint"
    assert finding.severity == "info"
    assert finding.evidence["document_id"] == "101"


def test_a_rewrite_is_medium(context):
    original, rewrite = (
        signature_of(ORIGINAL, keep_hashes=True),
        signature_of(REWRITE, keep_hashes=True),
    )
    assert 0.3 < exact_jaccard(original.hashes, rewrite.hashes) < 0.6  # the fixture is a rewrite
    [finding] = _check(context, REWRITE, declared_original=True)
    assert finding.rule == "originality.rewrite"
    assert finding.severity == "medium"
    assert "洗稿" in finding.message and "声明原创" in finding.message
    assert 0.45 <= finding.evidence["containment"] < 0.7


def test_unrelated_and_short_texts_are_no_finding(context):
    assert _check(context, UNRELATED, declared_original=True) == ()
    assert _check(context, "会议要求，各相关部门要加强值班值守。", declared_original=True) == ()


def test_without_an_index_only_self_contradiction_is_checked():
    bare = CheckContext()
    [finding] = _check(bare, UNRELATED + "\n转自人民日报", declared_original=True)
    assert finding.rule == "originality.declared_original_reprint"
    assert finding.severity == "medium"
    assert finding.excerpt == "转自人民日报"
    [traditional] = _check(bare, "原標題：舊的標題\n" + UNRELATED, declared_original=True)
    assert traditional.excerpt == "原標題："
    # An original signed with its own name, or a copy with no claim, is fine without a corpus.
    assert _check(bare, UNRELATED + "\n来源：东湖发布", declared_original=True) == ()
    assert _check(bare, ORIGINAL) == ()
    assert _check(bare, ORIGINAL + "\n转自人民日报") == ()
