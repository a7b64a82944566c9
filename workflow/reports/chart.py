"""The report's one picture: requests received and concluded per month, and how they ended.

Drawn with matplotlib's Agg canvas (no display, no pyplot state). Chinese labels need a CJK font;
where none is installed (a bare server), the chart is labelled in English rather than printing boxes.
The PNG carries no timestamp or version, so the same report gives the same bytes on the same machine.
"""

from __future__ import annotations

import io
from functools import lru_cache

from workflow.reports.compute import Report

# Families tried first, then any installed font that has the characters.
CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Zen Hei",
                "WenQuanYi Micro Hei", "Microsoft YaHei", "SimHei", "PingFang SC", "Heiti SC",
                "AR PL UMing CN", "Droid Sans Fallback", "Noto Serif CJK SC")
PROBE = "申请公开"

GROUPS = [  # (row-code prefix, Chinese label, English label)
    ("disclosed", "予以公开", "Disclosed"),
    ("partially_disclosed", "部分公开", "Partly disclosed"),
    ("withheld.", "不予公开", "Withheld"),
    ("unavailable.", "无法提供", "Unavailable"),
    ("not_processed.", "不予处理", "Not processed"),
    ("other.", "其他处理", "Other"),
]


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """The family name of an installed font that can draw Chinese, or None."""
    from matplotlib import font_manager, ft2font

    def covers(path: str) -> bool:
        try:
            charmap = ft2font.FT2Font(path).get_charmap()
        except (OSError, RuntimeError):
            return False
        return all(ord(ch) in charmap for ch in PROBE)

    manager = font_manager.fontManager
    known = {f.fname for f in manager.ttflist}
    # matplotlib caches its font list once; fonts installed since then are only in the system's list.
    for path in sorted(set(font_manager.findSystemFonts()) - known):
        if covers(path):
            try:
                manager.addfont(path)
            except (OSError, RuntimeError, ValueError):
                continue
    ranked = sorted(manager.ttflist,
                    key=lambda f: CJK_FAMILIES.index(f.name) if f.name in CJK_FAMILIES else len(CJK_FAMILIES))
    for f in ranked:
        if "Last Resort" in f.name:  # maps every character to a placeholder box
            continue
        if covers(f.fname):
            return str(f.name)
    return None


def outcome_counts(r: Report) -> list[int]:
    return [sum(v["total"] for k, v in r.table3.items() if k == prefix or (prefix.endswith(".") and
                                                                          k.startswith(prefix)))
            for prefix, _, _ in GROUPS]


def png(r: Report) -> bytes:
    if r.received_by_month is None or r.concluded_by_month is None:
        raise ValueError("the chart draws requests per month: build the report with months=True")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    font = cjk_font()
    zh = font is not None
    import matplotlib

    with matplotlib.rc_context({"font.family": [font]} if font else None):
        fig = Figure(figsize=(10, 4), dpi=110)
        FigureCanvasAgg(fig)
        left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [3, 2]})
        months = list(range(1, 13))
        width = 0.4
        left.bar([m - width / 2 for m in months], r.received_by_month, width,
                 label="收到" if zh else "received", color="#4472c4")
        left.bar([m + width / 2 for m in months], r.concluded_by_month, width,
                 label="办结" if zh else "concluded", color="#a5a5a5")
        left.set_xticks(months, [f"{m}月" if zh else str(m) for m in months])
        left.set_title(f"{r.year}年每月申请数" if zh else f"Requests per month, {r.year}")
        left.legend(frameon=False)
        left.yaxis.get_major_locator().set_params(integer=True)
        counts = outcome_counts(r)
        labels = [zh_label if zh else en for _, zh_label, en in GROUPS]
        right.barh(labels[::-1], counts[::-1], color="#70ad47")
        right.set_title("办理结果" if zh else "Outcomes")
        right.xaxis.get_major_locator().set_params(integer=True)
        for y, n in enumerate(counts[::-1]):
            right.annotate(str(n), (n, y), xytext=(3, 0), textcoords="offset points", va="center")
        for ax in (left, right):
            ax.spines[["top", "right"]].set_visible(False)
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png", metadata={"Software": None})
    return buf.getvalue()
