"""A changed rule re-checks, in the background and a chunk at a time, what the old rules checked."""

import pytest
from django.urls import reverse

from mediamatrix.engines.checks import register, unregister
from mediamatrix.orgs.choices import Role
from mediamatrix.review.models import CheckRun
from mediamatrix.review.services import post_check
from mediamatrix.review.services.rechecks import outdated_posts, recheck_outdated
from mediamatrix.review.tasks import recheck_outdated_task
from tests.review.cases import ReviewTestCheck, ingest, only_test_check

pytestmark = pytest.mark.django_db


class NewerTestCheck(ReviewTestCheck):
    version = "4"  # the same check, one rule changed


def _checked_posts(world, n):
    posts = [
        ingest(world.account_a, f"r{i}", f"第{i}篇，这里有标记。", hours_ago=i + 1)
        for i in range(n)
    ]
    for post in posts:
        post_check(post=post)
    return posts


def test_posts_checked_by_an_older_rule_are_checked_again_newest_first(world):
    with only_test_check():
        posts = _checked_posts(world, 3)
        assert not outdated_posts().exists()
        unregister(ReviewTestCheck.name)
        register(NewerTestCheck)
        try:
            assert set(outdated_posts()) == set(posts)
            done, left = recheck_outdated(limit=2)
            assert (done, left) == (2, 1)
            newest = CheckRun.objects.filter(versions__review_test="4")
            assert {run.post for run in newest} == {posts[0], posts[1]}  # the two newest
            assert recheck_outdated_task.enqueue().return_value == {"checked": 1, "left": 0}
            assert not outdated_posts().exists()
        finally:
            unregister(NewerTestCheck.name)
            register(ReviewTestCheck)


def test_the_rules_page_says_how_many_posts_wait_in_the_users_scope(client, world):
    with only_test_check():
        _checked_posts(world, 2)
        unregister(ReviewTestCheck.name)
        register(NewerTestCheck)
        try:
            client.force_login(world.user(world.county_a, Role.REVIEWER))
            page = client.get(reverse("review:rules"))
            assert page.context["outdated"] == 2 and b'id="rules-outdated"' in page.content
            client.force_login(world.user(world.county_b, Role.REVIEWER))
            assert client.get(reverse("review:rules")).context["outdated"] == 0
        finally:
            unregister(NewerTestCheck.name)
            register(ReviewTestCheck)
