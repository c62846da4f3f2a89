from django.urls import reverse

from mediamatrix.users.models import ApiToken
from mediamatrix.users.services import api_token_authenticate


def test_token_page_shows_the_secret_once_and_revokes(client, world):
    user = world.user(world.county_a, "editor")
    client.force_login(user)
    html = client.post(reverse("users:tokens"), {"name": "推送脚本", "days": 30}).content.decode()
    token = ApiToken.objects.get(user=user)
    start = html.index("mm_" + token.prefix + "_")
    secret = html[start : html.index("<", start)]
    assert api_token_authenticate(secret) == user
    assert token.key_hash not in html
    # The list shows only the prefix afterwards.
    assert secret not in client.get(reverse("users:tokens")).content.decode()
    client.post(reverse("users:token-revoke", args=[token.pk]))
    assert api_token_authenticate(secret) is None


def test_tokens_of_others_cannot_be_revoked(client, world):
    owner = world.user(world.county_a, "editor")
    client.force_login(owner)
    client.post(reverse("users:tokens"), {"name": "a"})
    token = ApiToken.objects.get(user=owner)
    client.force_login(world.user(world.county_a, "admin"))
    assert client.post(reverse("users:token-revoke", args=[token.pk])).status_code == 404
