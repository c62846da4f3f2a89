"""The grounds a decision may cite: the 2019 Provisions and the quality rules of the office.

Local vocabulary (`code` is stored on the decision and in its statement of reasons): the
Provisions on the Governance of the Online Information Content Ecosystem (网络信息内容生态治理
规定, 2019), article 6 (illegal information) and article 7 (harmful information), plus the
quality and integrity rules government new media are inspected against. Each ground maps to the
EU DSA transparency database's decision ground and category, so statements can be exported in
that schema.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ILLEGAL = "DECISION_GROUND_ILLEGAL_CONTENT"
INCOMPATIBLE = "DECISION_GROUND_INCOMPATIBLE_CONTENT"


@dataclass(frozen=True)
class Ground:
    code: str
    label: str | Promise
    dsa_ground: str
    dsa_category: str
    legal_text: str  # the article and item as cited


GROUNDS: tuple[Ground, ...] = (
    Ground("P2019-6-8", _("散布谣言，扰乱经济秩序和社会秩序"), ILLEGAL,
           "STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS",
           "《网络信息内容生态治理规定》第六条第（八）项"),
    Ground("P2019-6-9", _("散布淫秽、色情、赌博、暴力、凶杀、恐怖或者教唆犯罪"), ILLEGAL,
           "STATEMENT_CATEGORY_PORNOGRAPHY_OR_SEXUALIZED_CONTENT",
           "《网络信息内容生态治理规定》第六条第（九）项"),
    Ground("P2019-6-10", _("侮辱或者诽谤他人，侵害他人名誉、隐私和其他合法权益"), ILLEGAL,
           "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH",
           "《网络信息内容生态治理规定》第六条第（十）项"),
    Ground("P2019-7-1", _("使用夸张标题，内容与标题严重不符"), INCOMPATIBLE,
           "STATEMENT_CATEGORY_SCOPE_OF_PLATFORM_SERVICE",
           "《网络信息内容生态治理规定》第七条第（一）项"),
    Ground("P2019-7-3", _("不当评述自然灾害、重大事故等灾难"), INCOMPATIBLE,
           "STATEMENT_CATEGORY_SCOPE_OF_PLATFORM_SERVICE",
           "《网络信息内容生态治理规定》第七条第（三）项"),
    Ground("P2019-7-4", _("带有性暗示、性挑逗等易使人产生性联想"), INCOMPATIBLE,
           "STATEMENT_CATEGORY_PORNOGRAPHY_OR_SEXUALIZED_CONTENT",
           "《网络信息内容生态治理规定》第七条第（四）项"),
    Ground("P2019-7-5", _("展示血腥、惊悚、残忍等致人身心不适"), INCOMPATIBLE,
           "STATEMENT_CATEGORY_VIOLENCE",
           "《网络信息内容生态治理规定》第七条第（五）项"),
    Ground("P2019-7-7", _("宣扬低俗、庸俗、媚俗内容"), INCOMPATIBLE,
           "STATEMENT_CATEGORY_SCOPE_OF_PLATFORM_SERVICE",
           "《网络信息内容生态治理规定》第七条第（七）项"),
    Ground("Q-ERROR", _("错别字、表述错误（严重表述错误为单项否决）"), INCOMPATIBLE,
           "STATEMENT_CATEGORY_SCOPE_OF_PLATFORM_SERVICE",
           "《政府网站与政务新媒体检查指标》"),
    Ground("Q-SOURCE", _("转载未注明来源或转载来源不合规"), INCOMPATIBLE,
           "STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS",
           "《互联网新闻信息服务管理规定》第十五条"),
    Ground("Q-COPY", _("抄袭、洗稿或将他人作品声明为原创"), INCOMPATIBLE,
           "STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS",
           "《中华人民共和国著作权法》"),
)  # fmt: skip

BY_CODE = {ground.code: ground for ground in GROUNDS}

# The ground a finding's category suggests to the reviewer (who may pick another).
SUGGESTED = {
    "clickbait": "P2019-7-1",
    "vulgar": "P2019-7-7",
    "typo": "Q-ERROR",
    "term": "Q-ERROR",
    "number": "Q-ERROR",
    "punctuation": "Q-ERROR",
    "originality": "Q-COPY",
    "source": "Q-SOURCE",
    "rumour": "P2019-6-8",
}


def ground_choices() -> list[tuple[str, str | Promise]]:
    return [(ground.code, f"{ground.code} {ground.label}") for ground in GROUNDS]
