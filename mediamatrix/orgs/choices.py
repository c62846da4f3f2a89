from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitLevel(models.IntegerChoices):
    CITY = 1, _("市级")
    COUNTY = 2, _("县（区）级")
    TOWNSHIP = 3, _("乡镇（街道）级")
    VILLAGE = 4, _("村（社区）级")
    BELOW_VILLAGE = 5, _("村以下")


class UnitKind(models.TextChoices):
    PROVINCE = "province", _("省")
    CITY = "city", _("市")
    COUNTY = "county", _("县")
    DISTRICT = "district", _("区")
    COUNTY_CITY = "county_city", _("县级市")
    TOWNSHIP = "township", _("乡")
    TOWN = "town", _("镇")
    STREET = "street", _("街道")
    VILLAGE = "village", _("村")
    COMMUNITY = "community", _("社区")
    DEPARTMENT = "department", _("部门")
    MEDIA = "media", _("媒体单位")
    OTHER = "other", _("其他")


class Platform(models.TextChoices):
    WECHAT_OA = "wechat_oa", _("微信公众号")
    WECHAT_CHANNELS = "wechat_channels", _("微信视频号")
    WEIBO = "weibo", _("微博")
    DOUYIN = "douyin", _("抖音")
    KUAISHOU = "kuaishou", _("快手")
    TOUTIAO = "toutiao", _("今日头条")
    BILIBILI = "bilibili", _("哔哩哔哩")
    WEBSITE = "website", _("网站")
    APP = "app", _("客户端")
    OTHER = "other", _("其他")


class AccountCategory(models.TextChoices):
    GOVERNMENT = "government", _("政务号")
    NEWS = "news", _("新闻号")
    SERVICE = "service", _("服务号")
    SELF_MEDIA = "self_media", _("自媒体")


class AccountStatus(models.TextChoices):
    PENDING = "pending", _("待备案")
    ACTIVE = "active", _("正常")
    DORMANT = "dormant", _("休眠")
    CLOSED = "closed", _("已注销")


class GroupPlatform(models.TextChoices):
    WECHAT = "wechat", _("微信群")
    QQ = "qq", _("QQ群")
    DINGTALK = "dingtalk", _("钉钉群")
    WECOM = "wecom", _("企业微信群")


class Role(models.TextChoices):
    ADMIN = "admin", _("管理员")
    EDITOR = "editor", _("编辑")
    REVIEWER = "reviewer", _("审核员")
    OPERATOR = "operator", _("运维员")
    VIEWER = "viewer", _("查看者")
