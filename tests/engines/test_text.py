import random

import pytest

from mediamatrix.engines.text import (
    ENGINE_VERSION,
    NormalizedText,
    OffsetMap,
    Sentence,
    clean_whitespace,
    fold_width,
    html_to_text,
    normalize,
    normalize_html,
    split_sentences,
    to_simplified,
)


def original_of(result: NormalizedText, original: str, fragment: str) -> str:
    """The original text behind the first occurrence of ``fragment`` in ``result``."""
    start = result.text.index(fragment)
    original_start, original_end = result.original_span(start, start + len(fragment))
    return original[original_start:original_end]


# --- HTML -------------------------------------------------------------------------------


def test_html_blocks_become_lines() -> None:
    markup = (
        "<article><h1>标题</h1><section><div><p>第一段<br>换行</p>"
        "<ul><li>甲</li><li>乙</li></ul></div></section>"
        "<table><tr><td>左</td><td>右</td></tr></table></article>"
    )
    assert normalize_html(markup).text == "标题\n第一段\n换行\n甲\n乙\n左 右"


def test_html_inline_elements_and_source_line_breaks_do_not_split_lines() -> None:
    markup = "<p>一个<b>加粗</b>的\n  <a href='#'>链接</a></p>"
    assert normalize_html(markup).text == "一个加粗的 链接"


def test_html_preformatted_keeps_line_breaks() -> None:
    assert normalize_html("<pre>a\nb</pre>").text == "a\nb"


def test_html_entities_are_decoded() -> None:
    markup = "<p>A &amp; B &lt;tag&gt; &#20013;&#x6587; &nbsp;&quot;x&quot; &unknown;</p>"
    assert normalize_html(markup).text == 'A & B <tag> 中文 "x" &unknown;'


def test_html_script_style_and_comments_are_dropped() -> None:
    markup = (
        "<html><head><style>p { color: red; }</style></head><body>"
        "<script>if (a < b) { document.write('</p>'); }</script>"
        "<!-- note --><p>正文</p></body></html>"
    )
    assert normalize_html(markup).text == "正文"
    assert normalize_html("<script/><p>正文</p>").text == "正文"


def test_html_to_text_maps_inserted_breaks_to_their_tags() -> None:
    markup = "<p>a</p><p>b</p>"
    text, offsets = html_to_text(markup)
    assert text == "\na\n\nb\n"
    start, end = offsets.source_span(2, 3)
    assert markup[start:end] == "</p>"


# --- width, Chinese, cleanup ------------------------------------------------------------


def test_full_width_letters_digits_and_spaces_are_folded() -> None:
    assert fold_width("ＡＢＣｘｙｚ０１２９＠＃　") == "ABCxyz0129@# "
    assert normalize("ＧＰＴ－４　发布").text == "GPT-4 发布"


def test_chinese_punctuation_stays_full_width_unless_asked() -> None:
    assert fold_width("你好，世界！（真的？）") == "你好，世界！（真的？）"
    assert fold_width("你好，世界！", fold_punctuation=True) == "你好,世界!"
    assert normalize("你好，世界。").text == "你好，世界。"


def test_traditional_becomes_simplified() -> None:
    # t2s converts characters (and keeps the Taiwan vocabulary: 軟體 → 软体, not 软件).
    assert normalize("這個軟體的資訊安全很重要").text == "这个软体的资讯安全很重要"
    assert normalize("頭髮與發展").text == "头发与发展"


def test_phrase_only_conversion_keeps_positions() -> None:
    # "瞭" stays as it is on its own but becomes "了" inside the phrase "明瞭".
    original = "說明瞭，很明瞭。"
    result = normalize(original)
    assert result.text == "说明了，很明了。"
    assert original_of(result, original, "很明了") == "很明瞭"


def test_simplified_conversion_can_be_turned_off() -> None:
    assert normalize("資訊", to_simplified_chinese=False).text == "資訊"


def test_invisible_characters_are_removed() -> None:
    text = "\ufeff敏\u200b感\u200c词\u200d和\u2060软\xad件\x00\x07"
    assert normalize(text).text == "敏感词和软件"


def test_whitespace_collapses_within_lines_and_blank_lines_go() -> None:
    text = "  第一行 \t\u3000 还是第一行  \r\n\r\n\n  \u200b \n第二行\u2028第三行\n"
    assert normalize(text).text == "第一行 还是第一行\n第二行\n第三行"


def test_clean_whitespace_maps_a_collapsed_run_to_the_whole_run() -> None:
    text, offsets = clean_whitespace("a \u200b\t b")
    assert text == "a b"
    assert offsets.source_span(1, 2) == (1, 5)


# --- offsets ----------------------------------------------------------------------------


def test_span_maps_back_to_traditional_form() -> None:
    original = "我們重視資訊安全。"
    result = normalize(original)
    assert original_of(result, original, "资讯安全") == "資訊安全"


def test_span_maps_back_to_full_width_form() -> None:
    original = "新款ｉＰｈｏｎｅ　１６发布"
    result = normalize(original)
    assert original_of(result, original, "iPhone 16") == "ｉＰｈｏｎｅ　１６"


def test_span_maps_back_across_removed_and_collapsed_characters() -> None:
    original = "  前言\n\n这是\u200b敏\u200b感   内容"
    result = normalize(original)
    assert result.text == "前言\n这是敏感 内容"
    assert original_of(result, original, "敏感") == "敏\u200b感"
    assert original_of(result, original, "感 内") == "感   内"


def test_span_maps_back_into_html() -> None:
    original = "<div><p>點擊<b>這裡</b>領取&lt;獎品&gt;</p><p>ＳＡＬＥ&nbsp;５０％</p></div>"
    result = normalize_html(original)
    assert result.text == "点击这里领取<奖品>\nSALE 50%"
    assert original_of(result, original, "这里") == "這裡"
    assert original_of(result, original, "击这") == "擊<b>這"
    assert original_of(result, original, "<奖品>") == "&lt;獎品&gt;"
    assert original_of(result, original, "SALE 50%") == "ＳＡＬＥ&nbsp;５０％"


def test_empty_span_maps_to_a_position() -> None:
    original = "  ab  "
    result = normalize(original)
    assert result.original_span(0, 0) == (2, 2)
    assert result.original_span(1, 1) == (3, 3)
    assert result.original_span(2, 2) == (4, 4)


def test_span_outside_the_text_is_rejected() -> None:
    result = normalize("abc")
    with pytest.raises(ValueError):
        result.original_span(2, 4)
    with pytest.raises(ValueError):
        result.original_span(2, 1)


def test_result_carries_engine_version_and_original_length() -> None:
    result = normalize("  x  ")
    assert result.engine_version == ENGINE_VERSION
    assert result.original_length == 5
    assert str(result) == "x"


def test_offset_maps_compose() -> None:
    first = OffsetMap([0, 2, 4], [2, 4, 6], 6)  # "abc" from a six-character source
    second = OffsetMap([0, 2], [1, 3], 3)  # "ac" from "abc"
    combined = first.then(second)
    assert combined.source_span(0, 1) == (0, 2)
    assert combined.source_span(1, 2) == (4, 6)
    assert first.then(OffsetMap.identity(3)) == first
    assert OffsetMap.identity(6).then(first) == first


def test_length_changing_conversion_is_aligned() -> None:
    def converter(text: str) -> str:
        # Stand-in for a phrase rule that changes length: "AB" → "X", "C" → "YZ".
        return text.replace("AB", "X").replace("C", "YZ")

    # The whole text keeps its length, so only alignment can tell what came from where.
    original = "一AB二\n三C四"
    text, offsets = to_simplified(original, converter=converter)
    assert text == "一X二\n三YZ四"
    for fragment, expected in [("X", "AB"), ("二", "二"), ("三", "三"), ("四", "四")]:
        start = text.index(fragment)
        source_start, source_end = offsets.source_span(start, start + len(fragment))
        assert original[source_start:source_end] == expected
    start = text.index("YZ")
    source_start, source_end = offsets.source_span(start, start + 2)
    assert original[source_start:source_end] == "C"


# --- sentences --------------------------------------------------------------------------


def test_sentences_split_on_terminators_and_line_breaks() -> None:
    text = "他说：“好。”然后走了！！真的吗？ Really?\n第二行……结束；最后"
    assert [sentence.text for sentence in split_sentences(text)] == [
        "他说：“好。”",
        "然后走了！！",
        "真的吗？",
        "Really?",
        "第二行……",
        "结束；",
        "最后",
    ]
    for sentence in split_sentences(text):
        assert text[sentence.start : sentence.end] == sentence.text


def test_sentence_spans_map_back_to_the_original() -> None:
    original = "<p>這是第一句。這是第二句！</p><p>第三句</p>"
    result = normalize_html(original)
    sentences = split_sentences(result.text)
    assert sentences[1] == Sentence("这是第二句！", 6, 12)
    start, end = result.original_span(sentences[1].start, sentences[1].end)
    assert original[start:end] == "這是第二句！"
    start, end = result.original_span(sentences[2].start, sentences[2].end)
    assert original[start:end] == "第三句"


def test_blank_text_has_no_sentences() -> None:
    assert split_sentences(" \n\n ") == []


# --- properties -------------------------------------------------------------------------

IDEMPOTENCE_SAMPLES = [
    "這個軟體的資訊安全很重要",
    "  ＡＢＣ　１２３，測試\u200b文本！\n\n\n第二段 \t 內容  ",
    "<div><p>點擊&amp;領取</p><script>x()</script><p>ＳＡＬＥ</p></div>",
    "頭髮、乾隆、發展、後來、著作、瞭解",
    "Plain ASCII text,   with  spaces.\r\nNew line!",
    "",
]


@pytest.mark.parametrize("sample", IDEMPOTENCE_SAMPLES)
def test_normalisation_is_idempotent(sample: str) -> None:
    once = normalize(sample, html=sample.startswith("<")).text
    assert normalize(once).text == once


ALPHABET = (
    "ab XY 12,.!?\n\r\t\x00\x0c\u3000\u200b\u200d\ufeff\xad\xa0\u2028\ud800"
    "ＡＺａ０９，！？。；…這個軟體資訊头发"
    "<>&;#/=\"'"
)
MARKUP_PIECES = ["<p>", "</p>", "<br/>", "<b>", "</b>", "<script>", "</script>"]
MARKUP_PIECES += ["&amp;", "&#x4e2d;", "&lt", "&bogus;"]


def random_text(rng: random.Random) -> str:
    pieces: list[str] = []
    for _ in range(rng.randrange(0, 40)):
        if rng.random() < 0.15:
            pieces.append(rng.choice(MARKUP_PIECES))
        else:
            pieces.append(rng.choice(ALPHABET))
    return "".join(pieces)


def assert_well_formed(result: NormalizedText, original: str, rng: random.Random) -> None:
    length = len(result.text)
    previous_start = 0
    previous_end = 0
    for index in range(length):
        start, end = result.original_span(index, index + 1)
        assert 0 <= start < end <= len(original)
        assert start >= previous_start and end >= previous_end
        previous_start, previous_end = start, end
    whole_start, whole_end = result.original_span(0, length)
    for _ in range(10):
        first, second = sorted(rng.randrange(0, length + 1) for _ in range(2))
        start, end = result.original_span(first, second)
        assert 0 <= start <= end <= len(original)
        if first < second:
            assert whole_start <= start and end <= whole_end


def test_mapped_spans_stay_in_bounds_and_ordered() -> None:
    rng = random.Random(20240601)
    for _ in range(300):
        original = random_text(rng)
        for as_html in (False, True):
            result = normalize(original, html=as_html)
            assert_well_formed(result, original, rng)
            assert normalize(result.text).text == result.text


def test_aligned_conversion_spans_stay_in_bounds_and_ordered() -> None:
    def converter(text: str) -> str:
        return text.replace("ab", "Q").replace("X", "XYZ").replace("1", "")

    rng = random.Random(7)
    for _ in range(200):
        original = random_text(rng)
        result = normalize(original, converter=converter)
        assert_well_formed(result, original, rng)
