from mediamatrix.orgs.selectors import account_list


def test_county_user_sees_only_own_county(world):
    user = world.user(world.county_a, "viewer")
    assert list(account_list(user)) == [world.account_a]
