"""The debunk library: records, the CSV and ClaimReview readers, and matching."""

import json
import pickle
from datetime import date
from pathlib import Path

from mediamatrix.engines.checks.rumours import (
    CSV_HEADERS,
    INDEX_VERSION,
    Debunk,
    DebunkLibrary,
    debunk_id,
    read_claimreview,
    read_debunk_file,
    read_debunks_csv,
)

SAMPLE = Path(__file__).resolve().parents[2] / "docs" / "checks" / "debunks-sample.csv"
LIQUOR = Debunk(
    "liquor",
    claim="喝高度白酒可以预防病毒感染",
    text="饮酒不能预防病毒感染，过量饮酒反而损害健康。",
    source="卫生健康部门",
)
MICROWAVE = Debunk(
    "microwave",
    claim="微波炉加热过的食物会致癌",
    text="微波加热不会让食物产生致癌物质。",
)
ELEVATOR = Debunk(
    "elevator",
    text="近日网传“电梯下坠时在落地前跳起来就能保命”的说法不科学，跳起无法抵消撞击。",
)
LIBRARY = DebunkLibrary([LIQUOR, MICROWAVE, ELEVATOR])


def _csv(*lines: str) -> str:
    return "\r\n".join(lines) + "\r\n"


OURS = _csv(
    ",".join(CSV_HEADERS),
    "r1,喝高度白酒可以预防病毒感染,饮酒不能预防病毒感染。,卫生健康部门,"
    "https://example.org/r1,2024-01-15,健康、饮酒；传染病,谣言",
    ',微波炉加热过的食物会致癌,"微波加热不会让食物产生致癌物质，',
    '使用合适的容器即可。",科普平台,,2024年2月3日,,',
)


# CSV -------------------------------------------------------------------------------------------


def test_our_layout_in_utf8_with_bom_and_in_gbk_reads_the_same():
    for data in (OURS.encode("utf-8-sig"), OURS.encode("gbk"), OURS.encode("utf-8")):
        read = read_debunks_csv(data)
        assert read.errors == ()
        first, second = read.debunks
        assert first == Debunk(
            "r1",
            claim="喝高度白酒可以预防病毒感染",
            text="饮酒不能预防病毒感染。",
            source="卫生健康部门",
            url="https://example.org/r1",
            date=date(2024, 1, 15),
            tags=("健康", "饮酒", "传染病"),
            rating="谣言",
        )
        # A cell holding a line break; no id: one derived from the content, stable.
        assert second.text == "微波加热不会让食物产生致癌物质，\r\n使用合适的容器即可。"
        assert second.id == debunk_id(second.claim, second.text)
        assert second.date == date(2024, 2, 3)
        assert second.tags == ()


def test_a_title_line_above_the_header_english_headers_and_tabs():
    data = _csv("辟谣库 2024", "", "claim\tdebunk\tsource\tcomment", "谣言甲\t辟谣甲\t来源甲\t忽略")
    read = read_debunks_csv(data.encode())
    assert read.errors == ()
    [debunk] = read.debunks
    assert (debunk.claim, debunk.text, debunk.source) == ("谣言甲", "辟谣甲", "来源甲")


def test_bad_rows_are_reported_by_row_and_column_and_left_out():
    data = _csv(
        "编号,谣言,辟谣内容,链接,日期",
        "a,谣言一,辟谣一,,",
        "b,,,,",
        "c,谣言三,辟谣三,ftp://example.org,2024-13-40",
        'd,"谣言四\n第二行",辟谣四,,',
        "a,谣言五,辟谣五,,",
        ",,,,",
        "f,谣言七,辟谣七,,2024/5/6",
    )
    read = read_debunks_csv(data.encode())
    assert [d.id for d in read.debunks] == ["a", "d", "f"]
    found = [(e.row, e.field) for e in read.errors]
    assert found == [(3, "谣言"), (4, "日期"), (4, "链接"), (6, "编号")]
    assert str(read.errors[3]) == "第6行 [编号] 编号与第2行重复。"
    assert read.errors[2].value == "ftp://example.org"
    assert all(e.reason_en for e in read.errors)


def test_files_that_cannot_be_read_say_why():
    no_header = read_debunks_csv("标题,正文\n一,二\n".encode())
    assert no_header.debunks == ()
    [problem] = no_header.errors
    assert problem.row == 0
    assert str(problem).startswith("文件：没有找到表头")
    bad_quote = read_debunks_csv(_csv("谣言,辟谣内容", "甲,乙", '"丙"丁,戊').encode())
    assert [d.claim for d in bad_quote.debunks] == ["甲"]
    assert [(e.row, e.field) for e in bad_quote.errors] == [(3, "")]
    assert read_debunks_csv(b"\x81\x20\xff").errors[0].row == 0


def test_the_documented_sample_file_reads_without_errors():
    read = read_debunk_file(SAMPLE.name, SAMPLE.read_bytes())
    assert read.errors == ()
    assert len(read.debunks) >= 5
    assert all(d.claim and d.text and d.source and d.date for d in read.debunks)


# ClaimReview -----------------------------------------------------------------------------------

REVIEW = {
    "@context": "https://schema.org",
    "@type": "ClaimReview",
    "@id": "https://example.org/checks/liquor#review",
    "url": "https://example.org/checks/liquor",
    "claimReviewed": "喝高度白酒可以预防病毒感染",
    "reviewBody": "饮酒不能预防病毒感染。",
    "datePublished": "2024-01-15T09:30:00+08:00",
    "author": {"@type": "Organization", "name": "卫生健康部门"},
    "reviewRating": {"@type": "Rating", "ratingValue": 1, "bestRating": 5, "alternateName": "谣言"},
    "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "某网友"}},
    "keywords": "健康, 饮酒",
}


def test_a_single_claim_review_maps_to_a_debunk():
    read = read_claimreview(json.dumps(REVIEW, ensure_ascii=False).encode())
    assert read.errors == ()
    assert read.debunks == (
        Debunk(
            "https://example.org/checks/liquor#review",
            claim="喝高度白酒可以预防病毒感染",
            text="饮酒不能预防病毒感染。",
            source="卫生健康部门",
            url="https://example.org/checks/liquor",
            date=date(2024, 1, 15),
            tags=("健康", "饮酒"),
            rating="谣言",
        ),
    )


def test_lists_and_graphs_skip_other_nodes_and_fall_back_sensibly():
    plain = {
        "@type": ["Review", "schema:ClaimReview"],
        "itemReviewed": {"@type": "Claim", "name": "微波炉加热过的食物会致癌"},
        "reviewRating": {"ratingValue": 1, "bestRating": 5, "ratingExplanation": "不会致癌。"},
        "author": [{"name": "科普平台"}, "某报"],
        "keywords": ["健康", "食品"],
    }
    graph = {"@context": "https://schema.org", "@graph": [{"@type": "WebSite"}, REVIEW, plain]}
    for data in ([REVIEW, plain], graph):
        read = read_claimreview(json.dumps(data, ensure_ascii=False))
        assert read.errors == ()
        second = read.debunks[1]
        assert (second.claim, second.text, second.source) == (
            "微波炉加热过的食物会致癌",
            "不会致癌。",
            "科普平台、某报",
        )
        assert (second.rating, second.tags) == ("1/5", ("健康", "食品"))


def test_claim_review_problems_name_the_item_and_the_key():
    empty = {"@type": "ClaimReview", "url": "https://example.org/x"}
    bad_date = {**REVIEW, "@id": "two", "datePublished": "yesterday"}
    read = read_claimreview(json.dumps([REVIEW, empty, bad_date]))
    assert len(read.debunks) == 1
    assert [(e.row, e.field, e.item) for e in read.errors] == [
        (2, "claimReviewed", True),
        (3, "datePublished", True),
    ]
    assert str(read.errors[0]).startswith("第2条 [claimReviewed]")
    assert read_claimreview(b"{not json").errors[0].row == 0
    assert "ClaimReview" in read_claimreview(b'{"@type": "WebPage"}').errors[0].reason


def test_read_debunk_file_picks_the_reader_by_suffix_or_content():
    as_json = json.dumps(REVIEW, ensure_ascii=False).encode("utf-8-sig")
    assert read_debunk_file("reviews.jsonld", as_json).debunks[0].rating == "谣言"
    assert read_debunk_file("export", as_json).debunks[0].rating == "谣言"
    assert read_debunk_file("library.csv", OURS.encode()).debunks[0].id == "r1"


# Matching --------------------------------------------------------------------------------------


def test_simplified_and_traditional_posts_match_the_same_debunk():
    simplified = "紧急扩散：喝高度白酒可以预防病毒感染，家里有酒的赶紧喝起来！"
    traditional = "緊急擴散：喝高度白酒可以預防病毒感染，家裡有酒的趕緊喝起來！"
    [a] = LIBRARY.match(simplified)
    [b] = LIBRARY.match(traditional)
    assert a.debunk is b.debunk is LIQUOR
    assert abs(a.score - b.score) < 1e-9
    assert a.score > 0.6
    assert a.passage == "claim"
    assert traditional[b.start : b.end] == traditional  # one sentence: the whole post


def test_unrelated_text_matches_nothing():
    assert LIBRARY.match("本周六社区开展防溺水安全宣传，提醒家长看护好孩子，不要到河边玩耍。") == []
    assert LIBRARY.match("") == []
    assert DebunkLibrary([]).match("喝高度白酒可以预防病毒感染") == []


def test_a_debunk_without_a_claim_matches_on_what_it_quotes():
    [found] = LIBRARY.match("电梯下坠时，在落地前跳起来就能保命，这个方法大家要记住。")
    assert found.debunk is ELEVATOR
    assert found.passage == "claim"


def test_a_rumour_inside_a_long_article_is_found_and_pointed_at():
    filler = (
        "今天上午，全市召开秋冬季安全生产工作会议，部署下一阶段重点任务，要求各单位压实责任。" * 12
    )
    rumour = "有群众反映，网上流传微波炉加热过的食物会致癌的说法。"
    text = filler + rumour + filler
    [found] = LIBRARY.match(text, minimum=0.3)
    assert found.debunk is MICROWAVE
    assert text[found.start : found.end] == rumour


def test_numbers_and_latin_words_are_terms():
    library = DebunkLibrary([Debunk("5g", claim="5G基站辐射会传播病毒"), LIQUOR])
    [same] = library.match("有人说5G基站辐射会传播病毒，这是真的吗")
    [other] = library.match("有人说4G基站辐射会传播病毒，这是真的吗")
    assert same.debunk.id == other.debunk.id == "5g"
    assert same.score > other.score + 0.05  # "5g" is a term of its own


def test_the_library_pickles_and_builds_from_any_iterable():
    rebuilt = pickle.loads(pickle.dumps(LIBRARY))
    generated = DebunkLibrary(d for d in (LIQUOR, MICROWAVE, ELEVATOR))
    query = "微波炉加热过的食物会致癌吗？"
    assert rebuilt.match(query) == LIBRARY.match(query) == generated.match(query)
    assert len(generated) == 3
    assert rebuilt.version == INDEX_VERSION


def test_results_are_best_first_and_limited():
    library = DebunkLibrary(
        [
            Debunk(f"d{i}", claim=f"喝高度白酒可以预防病毒感染{'，' + '再加一句' * i}")
            for i in range(5)
        ]
    )
    found = library.match("喝高度白酒可以预防病毒感染", limit=2)
    assert [m.debunk.id for m in found] == ["d0", "d1"]
    assert found[0].score >= found[1].score
