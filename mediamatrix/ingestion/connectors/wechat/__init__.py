"""WeChat Official Account API (微信公众号接口): published articles, their statistics, followers.

The package: `client` (HTTP, token use, retries), `tokens` (the cached access token and its
concurrency-safe refresh), `errors` (error codes → what a person should do), `mapping` (JSON →
records) and `pull` (one pull). See docs/ingestion/wechat.md.
"""

from mediamatrix.ingestion.connectors import Connector, register
from mediamatrix.ingestion.connectors.wechat.pull import pull

CONNECTOR = register(
    Connector(
        name="wechat",
        label="微信公众号接口",
        kind="pull",
        pull=pull,
        config_fields=(("app_id", "AppID"),),
        needs_secret=True,
        docs="docs/ingestion/wechat.md",
    )
)

__all__ = ["CONNECTOR", "pull"]
