"""The typo, term, number and punctuation checks, in simplified and traditional Chinese."""

from pathlib import Path

import pytest

from mediamatrix.engines.checks import CheckContext, Document, Finding, load_builtin, run_checks

load_builtin()
CONTEXT = CheckContext()


def findings(
    text: str, check: str, *, title: str = "", context: CheckContext = CONTEXT
) -> list[Finding]:
    report = run_checks(Document(title=title, body=text), context, only=[check])
    assert not report.errors
    return list(report.findings)


def rules(text: str, check: str) -> list[str]:
    return [f.rule for f in findings(text, check)]


# Sentences in the register of official news: none of the four checks may flag any of them.
CLEAN = [
    "我们要认真学习贯彻党的二十大精神，推动经济社会高质量发展。",
    "会议强调，要坚持以人民为中心的发展思想，扎实推进共同富裕。",
    "全市共有会员单位120个，全年共吸引游客30余万人次。",
    "今年前三季度，全县地区生产总值同比增长5.2%，高于全省平均水平。",
    "新时代文明实践中心组织志愿者开展“我为群众办实事”活动。",
    "他说：“这是一件为民造福的好事，我们一定要办好。”",
    "根据《中华人民共和国网络安全法》（以下简称《网络安全法》）的规定，制定本办法。",
    "二〇二六年十一月二十三日，市委召开常委会议，研究部署今冬明春的重点工作。",
    "个别企业存在安全隐患，执法人员已逐个督促整改，一个也不放过。",
    "研究研究再说，大家高高兴兴地回家了，这的的确确是好消息。",
    "实现目的的手段有很多，我们报名参加了比赛，换成美元。",
    "习近平新时代中国特色社会主义思想是全党全国人民的行动指南。",
    "各位代表，本届大会共收到议案50件，其中第三十五号议案已办结。",
]


@pytest.mark.parametrize("check", ["typo", "term", "number", "punctuation"])
def test_clean_official_sentences_are_not_flagged(check: str) -> None:
    for sentence in CLEAN:
        assert findings(sentence, check) == [], sentence


# typo.confusion ------------------------------------------------------------------------------


def test_confused_word_is_flagged_with_its_correction() -> None:
    [finding] = findings("我们要再接再励，争取更大成绩。", "typo")
    assert (finding.rule, finding.category, finding.severity) == (
        "typo.confusion",
        "typo",
        "medium",
    )
    assert (finding.start, finding.end, finding.excerpt) == (3, 7, "再接再励")
    assert finding.suggestion == "再接再厉"
    assert finding.evidence["list"] == "confusions_words.txt"
    assert finding.version == "typo-1"


def test_confused_word_in_traditional_text_points_into_the_original() -> None:
    [finding] = findings("我們要再接再勵，爭取更大成績。", "typo")
    assert (finding.start, finding.end, finding.excerpt) == (3, 7, "再接再勵")
    assert finding.suggestion == "再接再厉"
    assert "“再接再勵”" in finding.message  # quoted as written


def test_several_confusions_in_title_and_body() -> None:
    found = findings("工程已峻工，设备按装完毕。", "typo", title="一股作气")
    assert [(f.field, f.suggestion) for f in found] == [
        ("title", "一鼓作气"),
        ("body", "竣工"),
        ("body", "安装"),
    ]


def test_confusion_exceptions_keep_correct_readings() -> None:
    assert rules("请按装修标准验收。", "typo") == []  # 按 + 装修
    assert rules("这样既使企业受益，又使群众满意。", "typo") == []  # 既…又
    assert rules("即使下雨也要去。", "typo") == []
    assert rules("既使下雨，我们仍然出发。", "typo") == ["typo.confusion"]


def test_a_deployment_adds_its_own_confusions(tmp_path: Path) -> None:
    (tmp_path / "confusions_words.txt").write_text("# ours\n测式\t测试\n", encoding="utf-8")
    context = CheckContext(extra_dirs=[tmp_path])
    found = findings("今天进行系统测式。", "typo", context=context)
    assert [(f.rule, f.suggestion) for f in found] == [("typo.confusion", "测试")]
    assert "typo.confusion" not in rules("今天进行系统测式。", "typo")  # not a built-in entry


# typo.statistical ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "wrong", "right"),
    [
        ("我们明天一起去参架比赛。", 8, "架", "加"),
        ("我們明天一起去參架比賽。", 8, "架", "加"),
        ("他是我最好的朋有。", 7, "有", "友"),
    ],
)
def test_statistical_guess_from_pinyin_and_frequencies(
    text: str, start: int, wrong: str, right: str
) -> None:
    [finding] = findings(text, "typo")
    assert finding.rule == "typo.statistical"
    assert (finding.start, finding.end, finding.excerpt, finding.suggestion) == (
        start,
        start + 1,
        wrong,
        right,
    )
    assert finding.evidence["reason"] == "pinyin"
    gain = finding.evidence["gain"]
    assert gain >= 7
    # Small gains are hints for the editor; the review queue gets the confident ones.
    assert finding.severity == ("medium" if gain >= 12 else "low" if gain >= 10 else "info")


def test_statistical_guess_leaves_names_and_measure_words_alone() -> None:
    assert rules("记者王黎、本报记者刘杰报道。", "typo") == []
    assert rules("新京报讯（记者裴剑飞）报道。", "typo") == []
    assert rules("关停15种小企业。", "typo") == []
    assert rules("参观者已逾万人。", "typo") == []
    assert rules("她发了一条微博，写满了不甘。", "typo") == []  # typos_words.txt


def test_a_string_the_document_repeats_is_its_own_vocabulary() -> None:
    assert rules("他是我最好的朋有。", "typo") == ["typo.statistical"]
    assert rules("他是我最好的朋有。朋有公司成立于去年。", "typo") == []


# typo.repeat ---------------------------------------------------------------------------------


def test_repeated_character_and_word() -> None:
    found = findings("我们我们的的工作。", "typo")
    assert [(f.rule, f.excerpt, f.suggestion) for f in found] == [
        ("typo.repeat", "我们我们", "我们"),
        ("typo.repeat", "的的", "的"),
    ]


def test_repeated_word_in_traditional_text() -> None:
    [finding] = findings("我們我們一起努力。", "typo")
    assert (finding.start, finding.end, finding.excerpt) == (0, 4, "我們我們")


def test_deliberate_doubling_is_not_a_repeat() -> None:
    for text in (
        "大家看看这个方案。",
        "这件事我们研究研究。",
        "他总是如何如何。",
        "说了了解情况。",
        "经侦总队一大队大队长介绍。",  # 大队 + 大队长
    ):
        assert rules(text, "typo") == [], text


# term ----------------------------------------------------------------------------------------


def test_known_wrong_formulation() -> None:
    [finding] = findings("推进中国试现代化。", "term")
    assert (finding.rule, finding.severity, finding.suggestion) == (
        "term.variant",
        "high",
        "中国式现代化",
    )


def test_near_miss_of_a_canonical_term_by_sound() -> None:
    [finding] = findings("培育和践行社会主义核心价值官。", "term")
    assert finding.rule == "term.near_miss"
    assert (finding.excerpt, finding.suggestion) == ("社会主义核心价值官", "社会主义核心价值观")
    assert finding.evidence["edit"] == "sound"
    assert finding.severity == "high"


def test_near_miss_in_traditional_text() -> None:
    [finding] = findings("培育和踐行社會主義核心價值官。", "term")
    assert (finding.start, finding.end) == (5, 14)
    assert finding.excerpt == "社會主義核心價值官"


def test_near_miss_with_a_character_missing() -> None:
    [finding] = findings("深入学习习近平新时中国特色社会主义思想。", "term")
    assert finding.suggestion == "习近平新时代中国特色社会主义思想"
    assert finding.evidence["edit"] == "missing"


def test_other_phrases_near_a_term_are_left_alone() -> None:
    for text in (
        "主体教育理论在学校推广。",  # 主体 is a word of its own
        "实现中华民族的伟大复兴。",  # 的 inserted is ordinary prose
        "中国特色社会主义道路越走越宽广。",
        "坚持以人民为中心发展理念。",  # 中心 + 发展理念, not 新发展理念
        "十三届全国人大常委会副委员长作报告。",  # 副 makes another title
    ):
        assert rules(text, "term") == [], text


def test_year_in_chinese_numerals_uses_ling_circle() -> None:
    [finding] = findings("二零二六年工作要点", "term")
    assert (finding.rule, finding.excerpt, finding.suggestion) == (
        "term.year_zero",
        "二零二六",
        "二〇二六",
    )
    assert rules("2026年工作要点，二〇二六年", "term") == []


# number --------------------------------------------------------------------------------------


def test_broken_numbers() -> None:
    found = findings("本会现有会员单位个，共吸引0余万人次参观。", "number")
    assert [(f.rule, f.excerpt) for f in found] == [
        ("number.missing", "个"),
        ("number.stray_zero", "0余"),
    ]
    assert found[1].severity == "high"


def test_broken_numbers_in_traditional_text() -> None:
    found = findings("本會現有會員單位個，共吸引0餘萬人次參觀。", "number")
    assert [(f.rule, f.start, f.excerpt) for f in found] == [
        ("number.missing", 8, "個"),
        ("number.stray_zero", 13, "0餘"),
    ]


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("同比增长%，创历史新高。", "number.percent"),
        ("第届全运会开幕。", "number.ordinal"),
        ("会议于2026年2月30日召开。", "number.date"),
        ("2026年13月召开。", "number.date"),
        ("共吸引余万人参观。", "number.bare_magnitude"),
        ("共接待游客人次。", "number.missing"),
    ],
)
def test_number_rules(text: str, rule: str) -> None:
    assert rules(text, "number") == [rule]


def test_numbers_that_are_whole() -> None:
    for text in (
        "个别同学请假，一个学生迟到。",
        "参观者已逾万人。",
        "整个，这个，每个，哪个？",
        "他去报名。我们换成美元。",
        "门第之见，次第展开。",
        "其余人员，许多人。",
        "增长3.5%，达到100%。",
        "2月29日，12月31日。",
        "蓝营人士痛批，规划尚未获批。",  # no quantity announced: 批 ends a word here
        "配有口罩、鞋套、手套。",
    ):
        assert rules(text, "number") == [], text


# punctuation ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "mark"),
    [
        ("他读了《人民日报，很受启发。", "《"),
        ("他读了人民日报》，很受启发。", "》"),
        ("他说：“我们一定办好。", "“"),
        ("会议（扩大会议召开。", "（"),
    ],
)
def test_unbalanced_marks(text: str, mark: str) -> None:
    [finding] = findings(text, "punctuation")
    assert (finding.rule, finding.excerpt) == ("punctuation.unbalanced", mark)


def test_unbalanced_book_title_is_medium_and_points_into_traditional_text() -> None:
    [finding] = findings("他讀了《人民日報，很受啟發。", "punctuation")
    assert (finding.severity, finding.start, finding.excerpt) == ("medium", 3, "《")


def test_quotation_running_over_paragraphs_is_balanced() -> None:
    text = "他说：“第一段话。\n“第二段话。”"
    assert rules(text, "punctuation") == []


def test_mixed_width() -> None:
    found = findings("今天很好,我们出发.明天见（下午)", "punctuation")
    assert [(f.rule, f.excerpt, f.suggestion) for f in found] == [
        ("punctuation.width", ",", "，"),
        ("punctuation.width", ".", "。"),
        ("punctuation.width_pair", ")", "）"),
    ]


def test_doubled_punctuation() -> None:
    found = findings("我们出发了，，明天见。。。", "punctuation")
    assert [(f.excerpt, f.suggestion) for f in found] == [("，，", "，"), ("。。。", "……")]


def test_latin_and_numbers_keep_their_marks() -> None:
    assert rules("版本1.5,下午3:30开会。It’s fine, e.g. this.", "punctuation") == []
