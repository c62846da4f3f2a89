"""The demo step's decisions and debunk library, on a small world (the full step runs in
`generate-demo`)."""

import pytest

from mediamatrix.orgs.choices import Role
from mediamatrix.review.demo import record_demo_decisions, seed_debunks
from mediamatrix.review.models import Debunk, Decision
from tests.factories import MembershipFactory, UserFactory
from tests.review.cases import make_case, only_test_check


@pytest.fixture(autouse=True)
def review_check():
    with only_test_check():
        yield


def test_the_demo_library_is_seeded_once(db):
    first = seed_debunks()
    assert first >= 5 and Debunk.objects.filter(claim__contains="自来水").exists()
    assert seed_debunks() == first


def test_the_demo_reviewer_records_three_decisions_and_the_unit_appeals_one(world):
    reviewer = UserFactory(username="city_reviewer")
    MembershipFactory(user=reviewer, unit=world.city, role=Role.REVIEWER)
    operator = world.user(world.county_a, Role.OPERATOR)
    make_case(world.account_a, "m1", "这里有标记。")
    make_case(world.account_a, "m2", "正文。", title="震惊！通知")
    make_case(world.account_a, "m3", "谣传自来水被污染。")

    assert record_demo_decisions() == 3
    kinds = dict(Decision.objects.values_list("kind", "post__external_id"))
    assert kinds == {"correction": "m1", "dismiss": "m2", "takedown": "m3"}
    takedown = Decision.objects.get(kind="takedown")
    assert takedown.actor == reviewer
    assert takedown.appeal_of.response.actor == operator
    assert takedown.item.status == "appealed"
    assert Decision.objects.get(kind="correction").deadline is not None


def test_without_the_demo_reviewer_nothing_is_decided(world):
    make_case(world.account_a, "n1", "这里有标记。")
    assert record_demo_decisions() == 0
