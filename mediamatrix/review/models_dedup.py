"""The near-duplicate index: MinHash signatures and their LSH band keys, shared by every worker.

One row per indexed document in `DedupSignature` (what the originality check cites, and the
signature to verify a candidate), and one row per band in `DedupBand`: the band key (band number
mixed in, a signed 64-bit integer) and the signature it belongs to. The band table's primary key
is (key, signature): the one index that lookups (`key IN (…)`) read, without a table visit. It has
no index and no database constraint on `signature` alone, to stay small at tens of millions of
rows; `mediamatrix.review.dedup` deletes a document's bands by their keys before its signature.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mediamatrix.orgs.models import Account


class DedupSignature(models.Model):
    document_key = models.CharField(_("文档键"), max_length=64)
    account = models.ForeignKey(
        Account,
        verbose_name=_("账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(_("发布时间"))
    declared_original = models.BooleanField(_("声明原创"), null=True, blank=True)
    declared_source = models.CharField(_("来源/转载自"), max_length=200, blank=True)
    title = models.CharField(_("标题"), max_length=500, blank=True)
    shingles = models.PositiveIntegerField(_("片段数"))
    signature = models.BinaryField(_("MinHash 签名"))
    engine_version = models.CharField(_("引擎版本"), max_length=32)
    indexed_at = models.DateTimeField(_("索引时间"), default=timezone.now)

    class Meta:
        verbose_name = _("近似重复签名")
        verbose_name_plural = _("近似重复签名")
        constraints = [
            models.UniqueConstraint(fields=["document_key"], name="dedup_signature_document_key"),
        ]

    def __str__(self) -> str:
        return self.document_key


class DedupBand(models.Model):
    pk = models.CompositePrimaryKey("key", "signature_id")
    key = models.BigIntegerField(_("分段键"))
    signature = models.ForeignKey(
        DedupSignature,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )

    class Meta:
        verbose_name = _("近似重复分段")
        verbose_name_plural = _("近似重复分段")

    def __str__(self) -> str:
        return f"{self.key} → {self.signature_id}"
