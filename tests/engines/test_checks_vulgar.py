"""The vulgarity check (低俗/色情/血腥/辱骂): terms, disguised spellings, whitelist, spans."""

from pathlib import Path

import pytest

from mediamatrix.engines.checks import CheckContext, Document, Finding, load_builtin, run_checks
from mediamatrix.engines.checks.builtin.vulgar import Skeleton

load_builtin()


def findings(body: str, title: str = "", html: bool = False) -> list[Finding]:
    doc = Document(title=title, body=body, html=html)
    return list(run_checks(doc, CheckContext(), only=["vulgar"]).findings)


def only(body: str) -> Finding:
    found = findings(body)
    assert len(found) == 1, found
    return found[0]


def test_an_exact_term_with_its_category_and_severity() -> None:
    found = only("这个人真是个傻逼。")
    assert (found.rule, found.category, found.severity) == ("vulgar.insult", "vulgar", "high")
    assert found.excerpt == "傻逼"
    assert found.evidence == {"term": "傻逼", "category": "insult", "how": "exact"}
    assert "侮辱谩骂" in found.message and "Insult" in found.message_en


@pytest.mark.parametrize(
    ("text", "excerpt", "rule"),
    [
        ("他媽的，又遲到了", "他媽的", "vulgar.profanity"),  # traditional
        ("別理那個賤人", "賤人", "vulgar.insult"),
        ("現場血肉模糊", "血肉模糊", "vulgar.gore"),
        ("網上招攬裸聊", "裸聊", "vulgar.sexual"),
    ],
)
def test_traditional_text_matches_and_spans_point_at_the_original(
    text: str, excerpt: str, rule: str
) -> None:
    found = only(text)
    assert (found.rule, found.excerpt) == (rule, excerpt)
    assert text[found.start : found.end] == excerpt


@pytest.mark.parametrize(
    "text",
    ["你个傻 逼", "你个傻*逼", "你个傻.逼", "你个傻😀逼", "你个傻\u200b逼", "你个傻 ★ 逼"],
)
def test_spaces_symbols_and_invisible_characters_between_characters(text: str) -> None:
    found = only(text)
    assert found.evidence["term"] == "傻逼"
    assert found.excerpt == text[found.start : found.end]
    assert found.excerpt.startswith("傻") and found.excerpt.endswith("逼")
    if "\u200b" not in text:  # normalisation already removed the zero-width space
        assert found.evidence["how"] == "spaced"


def test_sentence_punctuation_keeps_words_apart() -> None:
    assert findings("他很傻，逼得大家都没办法") == []


@pytest.mark.parametrize(("text", "excerpt"), [("一群煞笔", "煞笔"), ("真沙比", "沙比")])
def test_homophones(text: str, excerpt: str) -> None:
    found = only(text)
    assert found.excerpt == excerpt
    assert found.evidence == {
        "term": "傻逼",
        "category": "insult",
        "how": "homophone",
        "pinyin": "sha bi",
    }
    assert found.score < 0.9  # less sure than the exact word


@pytest.mark.parametrize(
    ("text", "excerpt", "term"),
    [
        ("他就是个shabi", "shabi", "傻逼"),
        ("他就是个 Sha-Bi 吧", "Sha-Bi", "傻逼"),
        ("cao ni ma!", "cao ni ma", "操你妈"),
    ],
)
def test_pinyin_written_in_latin_letters(text: str, excerpt: str, term: str) -> None:
    found = only(text)
    assert (found.excerpt, found.evidence["term"], found.evidence["how"]) == (
        excerpt,
        term,
        "pinyin",
    )


def test_latin_abbreviations_as_whole_words_only() -> None:
    found = findings("你个SB，还有ＴＭＤ")
    assert [(f.excerpt, f.evidence["how"]) for f in found] == [("SB", "latin"), ("ＴＭＤ", "latin")]
    assert findings("请用USB接口充电，SBS电视台报道，t-shirt") == []


@pytest.mark.parametrize(
    "text",
    [
        "杂种优势是育种的重要原理",  # hybrid vigour
        "社区为智障人士提供康复服务",
        "志愿者们做爱心公益十年",
        "河段泥沙比例下降",
        "吸取血淋淋的教训",
        "感染后症状比感冒明显",  # 状比 sounds like 装逼, which is matched exactly only
        "他妈妈的生日在周末",
        "抓住改革的牛鼻子",
        "尼玛次仁当选村委会主任",
        "禁区内射门得分",
        "路口交通管制",
        "刑法第二百五十条",
    ],
)
def test_innocent_text_is_not_flagged(text: str) -> None:
    assert findings(text) == []


def test_a_whitelisted_phrase_spares_only_its_own_occurrence() -> None:
    found = findings("社区为智障人士提供服务，你才是智障")
    assert [f.excerpt for f in found] == ["智障"]
    assert found[0].start == "社区为智障人士提供服务，你才是智障".rindex("智障")


def test_title_and_body_are_both_checked() -> None:
    found = findings("正文里有脏话：他妈的", title="标题 傻 逼")
    assert [(f.field, f.excerpt) for f in found] == [("title", "傻 逼"), ("body", "他妈的")]


def test_spans_through_html_and_full_width_text() -> None:
    markup = "<p>他说：<b>傻</b>&nbsp;<i>逼</i>！</p><p>ＳＢ</p>"
    found = findings(markup, html=True)
    assert [f.excerpt for f in found] == ["傻</b>&nbsp;<i>逼", "ＳＢ"]
    for finding in found:
        assert markup[finding.start : finding.end] == finding.excerpt


def test_every_excerpt_is_the_original_slice() -> None:
    text = "一 群 煞 笔！他媽的 shabi，還有ＳＢ和狗日的"
    found = findings(text)
    assert len(found) == 5
    for finding in found:
        assert text[finding.start : finding.end] == finding.excerpt


def test_skeleton_drops_separators_and_maps_back() -> None:
    skeleton = Skeleton("傻 *逼，A B")
    assert skeleton.text == "傻逼，ab"
    assert skeleton.source_span(0, 2) == (0, 4)
    assert skeleton.source_span(3, 5) == (5, 8)
    plain = Skeleton("没有分隔")
    assert plain.text == "没有分隔" and plain.source_span(1, 3) == (1, 3)


def test_a_deployment_adds_terms_and_whitelist_phrases(tmp_path: Path) -> None:
    (tmp_path / "vulgar_terms.txt").write_text(
        "# local\n狗腿子\tinsult\tlow\n屌丝\tinsult\tlow\n", encoding="utf-8"
    )
    (tmp_path / "vulgar_whitelist.txt").write_text("屌丝逆袭\n", encoding="utf-8")
    context = CheckContext(extra_dirs=[tmp_path])
    doc = Document(body="狗腿子一个，屌丝逆袭的故事")
    found = run_checks(doc, context, only=["vulgar"]).findings
    assert [(f.excerpt, f.severity) for f in found] == [("狗腿子", "low")]
    default = run_checks(doc, CheckContext(), only=["vulgar"]).findings
    assert [f.excerpt for f in default] == ["屌丝"]
