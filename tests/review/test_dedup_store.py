"""The near-duplicate index in the database: insert, lookup, re-index, only earlier documents."""

from datetime import timedelta

import pytest
from django.utils import timezone

from mediamatrix.engines.checks import CheckContext, run_checks
from mediamatrix.engines.dedup import DEFAULT_PARAMS, DedupParams, signature_of
from mediamatrix.ingestion.models import Post
from mediamatrix.review.dedup import DatabaseIndex, Entry, index_posts, post_key
from mediamatrix.review.models import DedupBand, DedupSignature
from mediamatrix.review.services.checking import post_document

pytestmark = pytest.mark.django_db

ARTICLE = (
    "11月20日，临江市召开全市防汛抗旱工作会议，总结今年以来的工作，部署下一阶段重点任务。"
    "会议指出，各地要压实防汛责任，加强隐患排查，确保群众生命财产安全。"
    "会议要求，各相关部门要加强值班值守，及时发布预警信息，做好应急物资储备。"
    "据了解，今年全市共排查整治各类隐患一百二十处，转移安置群众三千余人。"
)
OTHER = (
    "东湖区图书馆将于本周六举办亲子阅读活动，邀请儿童文学作家与小读者面对面交流，"
    "现场还将开展绘本朗读、手工制作等互动环节，欢迎广大家长带孩子报名参加。"
)
T0 = timezone.now() - timedelta(days=3)


def _entry(key, text, hours=0, account=None, **fields):
    return Entry(key, signature_of(text), T0 + timedelta(hours=hours), account_id=account, **fields)


def test_insert_and_lookup(world):
    index = DatabaseIndex()
    assert index.add(
        _entry("1", ARTICLE, 0, world.account_a.pk, title="防汛会议", declared_original=True)
    )
    assert index.add(_entry("2", OTHER, 1, world.account_b.pk))
    assert DedupSignature.objects.count() == 2
    assert DedupBand.objects.count() == 2 * DEFAULT_PARAMS.bands
    copy = signature_of(ARTICLE + "\n来源：东湖发布")
    [candidate] = index.find_earlier(copy, document_id="9", published_at=T0 + timedelta(hours=5))
    assert candidate.document_id == "1"
    assert candidate.account == str(world.account_a.pk)
    assert candidate.account_name == "东湖发布"
    assert candidate.title == "防汛会议" and candidate.declared_original is True
    assert candidate.published_at == T0
    assert 0.8 < candidate.similarity < 1 and candidate.containment > 0.95


def test_only_earlier_documents_and_never_itself(world):
    index = DatabaseIndex()
    index.add_many([_entry("1", ARTICLE, 0), _entry("2", ARTICLE + "欢迎转发。", 10)])
    query = signature_of(ARTICLE)
    assert [
        c.document_id for c in index.find_earlier(query, published_at=T0 + timedelta(hours=5))
    ] == ["1"]
    assert index.find_earlier(query, published_at=T0) == []  # the same minute is not earlier
    assert [c.document_id for c in index.find_earlier(query, document_id="1")] == ["2"]
    assert index.find_earlier(signature_of(OTHER)) == []


def test_re_indexing_replaces_the_rows(world):
    index = DatabaseIndex()
    index.add(_entry("1", ARTICLE))
    index.add(_entry("1", ARTICLE))  # idempotent
    assert DedupSignature.objects.count() == 1
    assert DedupBand.objects.count() == DEFAULT_PARAMS.bands
    index.add_many([_entry("1", OTHER, title="改过的稿件")])  # the text changed
    assert DedupBand.objects.count() == DEFAULT_PARAMS.bands
    assert index.find_earlier(signature_of(ARTICLE)) == []
    [found] = index.find_earlier(signature_of(OTHER))
    assert found.title == "改过的稿件"
    assert not index.add(_entry("1", "通知：停水。"))  # now too short: gone from the index
    assert DedupSignature.objects.count() == 0 and DedupBand.objects.count() == 0


def test_remove_and_parameter_mismatch(world):
    index = DatabaseIndex()
    index.add_many([_entry("1", ARTICLE), _entry("2", OTHER)])
    assert index.remove(["1", "nope"]) == 1
    assert DedupBand.objects.count() == DEFAULT_PARAMS.bands
    assert index.find_earlier(signature_of(ARTICLE)) == []
    with pytest.raises(ValueError):
        index.add(Entry("3", signature_of(ARTICLE, DedupParams(shingle_size=4)), T0))


def _post(world, external_id, body, account, hours, **fields):
    return Post.objects.create(
        account=account,
        owner_path=account.owner_path,
        platform=account.platform,
        external_id=external_id,
        title=fields.pop("title", "防汛会议"),
        body_html=f"<p>{body}</p>",
        published_at=T0 + timedelta(hours=hours),
        content_hash=external_id,
        **fields,
    )


def test_posts_are_indexed_and_the_check_sees_the_database(world):
    original = _post(world, "o1", ARTICLE, world.account_a, 0, is_original=True)
    copy = _post(world, "c1", ARTICLE, world.account_b, 4, is_original=True)
    assert index_posts([original, copy]) == 2
    assert set(DedupSignature.objects.values_list("document_key", flat=True)) == {
        post_key(original),
        post_key(copy),
    }
    context = CheckContext(resources={"near_duplicates": DatabaseIndex()})
    [finding] = run_checks(post_document(copy), context, only=["originality"]).findings
    assert finding.rule == "originality.declared_original_copy"
    assert finding.evidence["document_id"] == post_key(original)
    assert finding.evidence["account_name"] == "东湖发布"
    # The original, checked again later, does not match its own copy (published after it).
    assert run_checks(post_document(original), context, only=["originality"]).findings == ()
