"""The source check: vague and missing sources, current-affairs reprints and the whitelist."""

from datetime import datetime, timedelta

from mediamatrix.engines.checks import CheckContext, Document, run_checks
from mediamatrix.engines.checks.builtin.source import current_affairs, mentions, whitelisted
from mediamatrix.engines.dedup import IndexedDocument, MemoryIndex, signature_of

T0 = datetime(2026, 11, 20, 9, 0)
POLITICS_TITLE = "国务院常务会议部署进一步做好冬季供暖工作"
POLITICS = (
    "11月20日召开的国务院常务会议，研究部署进一步做好冬季供暖工作。"
    "会议指出，做好这项工作事关人民群众切身利益，事关经济社会发展大局。"
    "会议要求，各地区各部门要压实责任，细化举措，确保各项政策落地见效。"
)
LOCAL_TITLE = "东湖区图书馆周六举办亲子阅读活动"
LOCAL = (
    "东湖区图书馆将于本周六举办亲子阅读活动，邀请儿童文学作家与小读者面对面交流，"
    "现场还将开展绘本朗读、手工制作等互动环节，欢迎广大家长带孩子报名参加。"
)


def _check(body, title=POLITICS_TITLE, context=None, **fields):
    doc = Document(title=title, body=body, **fields)
    return run_checks(doc, context or CheckContext(), only=["source"]).findings


def _rules(findings):
    return [f.rule for f in findings]


def test_a_vague_source_is_flagged_in_both_scripts():
    [finding] = _check(LOCAL + "\n来源：网络", title=LOCAL_TITLE)
    assert (finding.rule, finding.category, finding.severity) == (
        "source.vague",
        "source",
        "medium",
    )
    assert finding.excerpt == "来源：网络"
    body = "東湖區圖書館將於本週六舉辦親子閱讀活動，歡迎報名。\n來源：綜合自網絡"
    [traditional] = _check(body, title=LOCAL_TITLE)
    assert traditional.rule == "source.vague"
    assert traditional.excerpt == "來源：綜合自網絡"
    assert _check(LOCAL + "\n来源：中国网络电视台", title=LOCAL_TITLE) == ()


def test_a_reprint_sign_without_any_source_is_flagged():
    [finding] = _check("原标题：老标题\n" + LOCAL, title=LOCAL_TITLE)
    assert finding.rule == "source.unnamed"
    assert finding.excerpt == "原标题："
    assert _check("原标题：老标题\n" + LOCAL + "\n来源：东湖发布", title=LOCAL_TITLE) == ()


def test_current_affairs_reprinted_from_an_unlisted_source_is_flagged():
    [finding] = _check(POLITICS + "\n转自某某资讯")
    assert finding.rule == "source.not_whitelisted"
    assert finding.severity == "medium"
    assert finding.excerpt == "转自某某资讯"
    assert finding.evidence["sources"] == ["某某资讯"]
    assert "国务院常务会议" in finding.evidence["current_affairs_terms"]
    # Traditional script, source in the platform's metadata (the finding marks the title).
    [declared] = _check(
        "國務院常務會議研究部署冬季供暖工作。",
        title="國務院常務會議部署供暖",
        declared_source="某某资讯",
    )
    assert declared.rule == "source.not_whitelisted"
    assert (declared.field, declared.excerpt) == ("title", "國務院常務會議部署供暖")
    # "Not original" and a named source make a reprint too.
    assert _rules(_check(POLITICS + "\n来源：某某资讯", declared_original=False)) == [
        "source.not_whitelisted"
    ]


def test_listed_sources_local_news_and_own_signatures_pass():
    assert _check(POLITICS + "\n转自新华社客户端") == ()
    assert _check(POLITICS + "\n来源：人民日报微信公众号", declared_original=False) == ()
    assert _check("新华社北京11月20日电 " + POLITICS) == ()
    assert _check(LOCAL + "\n转自某某资讯", title=LOCAL_TITLE) == ()  # not current affairs
    assert _check(POLITICS + "\n来源：东湖发布") == ()  # an original signed with its own name


def test_a_dateline_of_an_unlisted_outlet_is_a_reprint():
    [finding] = _check("某某财经网北京11月20日电 " + POLITICS)
    assert finding.rule == "source.not_whitelisted"
    assert finding.excerpt == "某某财经网"


def test_the_whitelist_is_a_deployments_own(tmp_path):
    (tmp_path / "source_whitelist.txt").write_text("# local outlets\n某某资讯\t某某APP\n", "utf-8")
    local = CheckContext(extra_dirs=[tmp_path])
    assert whitelisted("某某资讯客户端", local) and not whitelisted(
        "某某资讯客户端", CheckContext()
    )
    assert whitelisted("新华社", local)  # the built-in rows stay
    assert _check(POLITICS + "\n转自某某资讯", context=local) == ()


def test_current_affairs_needs_enough_weight():
    assert current_affairs(Document(title=POLITICS_TITLE, body=POLITICS), CheckContext())
    assert current_affairs(Document(title=LOCAL_TITLE, body=LOCAL), CheckContext()) == []
    one_word = Document(title="图书馆活动", body="活动当天有嘉宾出席。")
    assert current_affairs(one_word, CheckContext()) == []


def test_source_names_stop_at_the_next_field():
    doc = Document(body=LOCAL + "\n来源：临江日报 编辑：王明\n转载自人民日报2026年11月20日")
    names = [(m.kind, m.name) for m in mentions(doc, CheckContext())]
    assert names == [("named", "临江日报"), ("inline", "人民日报")]


def test_the_index_shows_a_reprint_of_a_named_earlier_publisher():
    index = MemoryIndex()
    index.add(
        IndexedDocument(
            "1", signature_of(POLITICS), account="9", account_name="某某资讯", published_at=T0
        )
    )
    context = CheckContext(resources={"near_duplicates": index})
    body = POLITICS + "\n来源：某某资讯"  # "来源" alone could be the post's own name
    later = T0 + timedelta(hours=1)
    [finding] = _check(body, context=context, account="2", published_at=later, document_id="2")
    assert finding.rule == "source.not_whitelisted"
    assert _check(body) == ()  # without the index nothing shows it is a reprint
