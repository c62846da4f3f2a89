import pytest

from mediamatrix.notices.models import ChannelConfig
from tests.notices.bots import Bot


@pytest.fixture
def bot(httpserver):
    """bot("wecom" | "dingtalk" | "feishu", secret=..., legacy=...) → a local bot endpoint."""

    def make(platform, **kwargs):
        return Bot(httpserver, platform, **kwargs)

    return make


def channel(unit, kind, target, **fields):
    return ChannelConfig.objects.create(
        unit=unit, unit_path=unit.path, channel=kind, target=target, **fields
    )
