"""The clickbait check (标题党): headline features, title–body mismatch, spans and evidence."""

from pathlib import Path

import pytest

from mediamatrix.engines.checks import CheckContext, Document, Finding, load_builtin, run_checks
from mediamatrix.engines.checks.builtin import clickbait

load_builtin()

BODY = (
    "市气象台今天发布寒潮蓝色预警。受强冷空气影响，未来三天全市气温将下降八到十度，"
    "并伴有五到六级偏北风。气象部门提醒市民注意添衣保暖，农业生产单位做好防冻准备，"
    "交通部门加强道路巡查，确保群众安全出行。"
)


def findings(title: str, body: str = BODY, context: CheckContext | None = None) -> list[Finding]:
    doc = Document(title=title, body=body)
    return list(run_checks(doc, context or CheckContext(), only=["clickbait"]).findings)


def headline(title: str, body: str = BODY, context: CheckContext | None = None) -> Finding | None:
    found = [f for f in findings(title, body, context) if f.rule == "clickbait.headline"]
    assert len(found) <= 1
    return found[0] if found else None


def features(finding: Finding) -> dict[str, str]:
    return {f["feature"]: f["match"] for f in finding.evidence["features"]}


def test_shock_word_and_forward_bait_make_a_high_finding_over_the_whole_title() -> None:
    title = "震惊！这个秘密一定要转给家人"
    found = headline(title)
    assert found is not None
    assert found.category == "clickbait"
    assert found.severity == "high"
    assert (found.start, found.end, found.excerpt) == (0, len(title), title)
    assert features(found) == {
        "shock_word": "震惊",
        "exclamation": "！",
        "curiosity_gap": "这个",
        "forward_bait": "转给家人",
    }
    assert "诱导转发" in found.message and "clickbait" in found.message_en


def test_traditional_headline_scores_like_simplified_and_spans_point_at_the_original() -> None:
    simplified = headline("震惊！这个秘密一定要转给家人")
    title = "震驚！這個秘密一定要轉給家人"
    found = findings(title)
    overall = next(f for f in found if f.rule == "clickbait.headline")
    assert simplified is not None and overall.score == simplified.score
    assert overall.excerpt == title
    phrases = {f.evidence["feature"]: f for f in found if f.rule == "clickbait.phrase"}
    assert phrases["shock_word"].excerpt == "震驚"
    assert phrases["forward_bait"].excerpt == "轉給家人"
    for finding in found:
        assert finding.excerpt == title[finding.start : finding.end]
    for feature in overall.evidence["features"]:
        assert title[feature["start"] : feature["end"]] in {"震驚", "！", "這個", "轉給家人"}


def test_evidence_explains_the_score() -> None:
    found = headline("刚刚！你绝对想不到，99%的人都不知道的秘密")
    assert found is not None
    evidence = found.evidence
    points = sum(f["points"] for f in evidence["features"])
    assert evidence["headline_points"] == pytest.approx(points)
    total = points + evidence["mismatch"]["points"]
    assert found.score == pytest.approx(min(1.0, total))
    assert evidence["threshold"] == clickbait.THRESHOLD
    assert all(f["reason"] for f in evidence["features"])
    assert {"breaking", "absolute", "hype_number", "direct_address"} <= set(features(found))


@pytest.mark.parametrize(
    "title",
    [
        "市政府召开常务会议 研究部署冬季供暖工作",
        "国家统计局发布10月份国民经济运行数据",
        "新冠病毒在部分地区扩散 专家建议加强监测",  # 扩散 of a virus is no bait to share
        "故宫博物院收藏的青铜器将赴港展出",  # 收藏 of a museum
        "原来的老厂房改建为社区图书馆",  # 原来的: former
        "证监会通报三起内幕交易案件",  # 内幕交易: insider trading
        "毕竟是冬季 供暖保障要到位",  # 毕竟 is not 竟
        "交警部门更新曝光台名单",  # 曝光台: the official name-and-shame list
        "罕见病患者用药保障范围扩大",
    ],
)
def test_plain_news_headlines_are_not_flagged(title: str) -> None:
    assert headline(title) is None


def test_one_weak_device_is_only_a_hint() -> None:
    found = headline("今年冬天会比往年更冷吗？")
    assert found is not None
    assert found.severity == "info"  # shown to the editor, not queued for review
    assert set(features(found)) == {"question"}


def test_mismatch_raises_the_score_of_a_bait_headline() -> None:
    title = "震惊！寒潮来袭气温下降8到10度"
    kept = "寒潮来袭，气温下降8到10度。" + BODY
    elsewhere = (
        "本报讯 本周末市图书馆举办冬季读书会，邀请作家与读者分享阅读心得，"
        "现场还有签名售书和亲子绘本活动，欢迎市民报名参加。"
    ) * 2 + "寒潮预警"
    faithful, misleading = headline(title, kept), headline(title, elsewhere)
    assert faithful is not None and misleading is not None
    assert misleading.score > faithful.score
    assert misleading.evidence["mismatch"]["points"] > 0
    assert "10" in misleading.evidence["mismatch"]["missing_claims"]
    assert "标题与正文不符" in misleading.message


def test_mismatch_alone_does_not_make_a_headline_clickbait() -> None:
    body = "会议指出，要统筹做好今冬明春各项工作，" * 5 + "供暖"
    assert headline("市政府研究部署冬季供暖保障工作", body) is None


def test_a_body_about_something_else_is_reported_as_unrelated() -> None:
    body = (
        "本报讯 本周末市图书馆举办冬季读书会，邀请作家与读者分享阅读心得，"
        "现场还有签名售书和亲子绘本活动，欢迎市民报名参加。"
    ) * 2
    found = findings("高铁新线开通运营 沿线居民出行更便利", body)
    assert [f.rule for f in found] == ["clickbait.unrelated"]
    assert found[0].severity == "medium"
    assert found[0].evidence["body_overlap"] < clickbait.UNRELATED_BELOW


def test_a_short_body_is_not_compared() -> None:
    found = headline("震惊！居然是这样", "视频")
    assert found is not None
    assert found.evidence["mismatch"] is None


def test_no_title_no_findings() -> None:
    assert findings("", BODY) == []


def test_a_deployment_adds_and_switches_off_phrases(tmp_path: Path) -> None:
    (tmp_path / "clickbait_phrases.txt").write_text(
        "# local additions\n独家猛料\tshock_word\n震惊\tshock_word\t0\n", encoding="utf-8"
    )
    context = CheckContext(extra_dirs=[tmp_path])
    added = headline("独家猛料：某明星离婚", context=context)
    assert added is not None and features(added) == {"shock_word": "独家猛料"}
    assert headline("震惊", context=context) is None
    assert headline("震惊") is not None  # the default context keeps the built-in list


def test_a_deployment_reweights_a_feature(tmp_path: Path) -> None:
    (tmp_path / "clickbait_features.txt").write_text(
        "question\t0.6\t设问\tquestion\n", encoding="utf-8"
    )
    found = headline("今年冬天会比往年更冷吗？", context=CheckContext(extra_dirs=[tmp_path]))
    assert found is not None and found.severity == "medium"


def test_html_body_and_spans() -> None:
    doc = Document(title="速看！寒潮来了", body=f"<p>{BODY}</p>", html=True)
    found = run_checks(doc, CheckContext(), only=["clickbait"]).findings
    overall = next(f for f in found if f.rule == "clickbait.headline")
    assert overall.excerpt == "速看！寒潮来了"
    assert "forward_bait" in features(overall)


def test_malformed_deployment_rows_are_skipped(tmp_path: Path) -> None:
    (tmp_path / "clickbait_patterns.txt").write_text(
        "shock_word\t([\nno_such_feature\t独家\n", encoding="utf-8"
    )
    (tmp_path / "clickbait_phrases.txt").write_text("独家\tshock_word\tlots\n", encoding="utf-8")
    context = CheckContext(extra_dirs=[tmp_path])
    found = headline("震惊！独家", context=context)
    assert found is not None and features(found) == {"shock_word": "震惊", "exclamation": "！"}
