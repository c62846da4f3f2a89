"""Platform ids and links shaped like each platform's own, unique within an account."""

import random
import string
from datetime import datetime

BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


class Links:
    def __init__(self, platform: str, handle: str, rng: random.Random) -> None:
        self.platform = platform
        self.handle = handle
        self.rng = rng
        self.salt = rng.randint(1000, 9999)
        self.count = rng.randint(100, 900)
        self.biz = "Mz" + "".join(
            rng.choice(string.ascii_letters + string.digits) for _ in range(12)
        )

    def issue(self) -> None:
        """A new push (WeChat) or post: the next message number."""
        self.count += 1

    def make(self, when: datetime, position: int | None) -> tuple[str, str]:
        """(external id, url) of the post published at `when` (at `position` in a push)."""
        rng, n, ts = self.rng, self.count, int(when.timestamp())
        match self.platform:
            case "wechat_oa":
                msg = 2247480000 + n
                sn = "".join(rng.choice("0123456789abcdef") for _ in range(32))
                url = f"https://mp.weixin.qq.com/s?__biz={self.biz}==&mid={msg}&idx={position}&sn={sn}"
                return f"{msg}_{position}", url
            case "weibo":
                mid = f"5{ts}{n % 100000:05d}"
                return mid, f"https://weibo.com/{self.handle}/{mid}"
            case "douyin":
                vid = f"7{ts}{self.salt}{n % 10000:04d}"
                return vid, f"https://www.douyin.com/video/{vid}"
            case "toutiao":
                aid = f"7{ts}{self.salt}{n % 10000:04d}"
                return aid, f"https://www.toutiao.com/article/{aid}/"
            case "kuaishou":
                tail = "".join(rng.choice(string.ascii_lowercase + string.digits) for _ in range(8))
                vid = f"3x{n % 100000:05d}{tail}"
                return vid, f"https://www.kuaishou.com/short-video/{vid}"
            case "bilibili":
                bv = "BV1" + f"{n % 1000:03d}" + "".join(rng.choice(BASE58) for _ in range(6))
                return bv, f"https://www.bilibili.com/video/{bv}"
            case "wechat_channels":
                return f"14{ts}{n % 1000000:06d}", ""
            case "website":
                page = f"t{when:%Y%m%d}_{self.salt}{n % 10000:04d}"
                return page, f"https://{self.handle}/xwdt/{when:%Y%m}/{page}.html"
            case _:
                return f"{self.salt}{n:06d}", ""
