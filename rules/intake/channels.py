"""How a request arrived, and which day counts as its receipt (条例 Art. 31).

===========  =======  =====================================================================
code         label    the day that counts as 收到申请之日
===========  =======  =====================================================================
in_person    当面     the day it is handed in                              Art. 31(1)
post         邮寄     the day the office signs for the letter               Art. 31(2)
mail         平信     the day the office confirms with the applicant;       Art. 31(2)
                      it must try to confirm on the day the letter arrives
online       网络     the day both sides confirm                            Art. 31(3)
fax          传真     the day both sides confirm                            Art. 31(3)
===========  =======  =====================================================================

Example: an ordinary letter arriving on 2026-03-02 and confirmed by phone on 2026-03-03 was
received on 2026-03-03, and its 20 working days run from there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Channel:
    code: str
    label: str
    rule: str
    needs_confirmation: bool


CHANNELS: dict[str, Channel] = {
    c.code: c
    for c in (
        Channel("in_person", "当面", "当面提交的，以提交之日为收到申请之日（条例第三十一条第（一）项）", False),
        Channel("post", "邮寄", "邮寄提交的，以行政机关签收之日为收到申请之日（条例第三十一条第（二）项）", False),
        Channel("mail", "平信", "平常信函提交的，以与申请人确认之日为收到申请之日（条例第三十一条第（二）项）", True),
        Channel("online", "网络", "通过互联网渠道提交的，以双方确认之日为收到申请之日（条例第三十一条第（三）项）", True),
        Channel("fax", "传真", "通过传真提交的，以双方确认之日为收到申请之日（条例第三十一条第（三）项）", True),
    )
}
_ALIASES = {"当面提交": "in_person", "邮寄": "post", "信函": "mail", "平常信函": "mail", "互联网": "online",
            "网上": "online", "电子邮件": "online"}


def channel(text: str) -> Channel:
    """A channel from its code or Chinese label."""
    value = text.strip()
    if value in CHANNELS:
        return CHANNELS[value]
    for c in CHANNELS.values():
        if value == c.label:
            return c
    if value in _ALIASES:
        return CHANNELS[_ALIASES[value]]
    choices = "、".join(f"{c.label}（{c.code}）" for c in CHANNELS.values())
    raise ValueError(f"无法识别的渠道 {text!r}；可用：{choices}")


def receipt_date(ch: Channel, arrived_on: date, confirmed_on: date | None = None) -> date:
    """The receipt date of Art. 31: the arrival (or signing) day, or the confirmation day.

    For channels that need confirmation, a confirmation before arrival is impossible; without a
    confirmation date the arrival day is taken, as the office must confirm on that day.
    """
    if confirmed_on is None or not ch.needs_confirmation:
        return arrived_on
    if confirmed_on < arrived_on:
        raise ValueError(
            f"确认日期 {confirmed_on.isoformat()} 早于申请到达之日"
            f"（{arrived_on.isoformat()}）"
        )
    return confirmed_on
