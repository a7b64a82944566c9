"""The report's one picture: requests received and concluded per month, and how they ended.

Drawn with matplotlib's Agg canvas (no display, no pyplot state). Its labels are Chinese, so it needs
a font that draws Chinese: :func:`cjk_font` asks matplotlib's font manager for the usual families of
Windows (黑体 SimHei, 微软雅黑, 宋体), macOS (苹方 PingFang SC, Hiragino Sans GB, 华文黑体/宋体) and
Linux (Noto Sans/Serif CJK SC, 思源黑体, 文泉驿), then for any installed font that has the characters.
matplotlib keeps its list of fonts in a cache written once; a font installed since then (``apt-get
install fonts-noto-cjk`` after the first chart) is taken from the system's own list, so it is found
without deleting that cache. Where no font draws Chinese, :func:`png` raises :class:`NoChineseFont`,
whose message says in Chinese how to install one: the chart is never drawn with boxes, nor in English.
:func:`png_or_none` is what the report's writers call: the document is written without the chart and
the officer is told why::

    png_or_none(report, warn)   # bytes, or None after warn("图表未生成：本机没有可显示中文的字体…")

The PNG carries no timestamp or version, so the same report gives the same bytes on the same machine.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from workflow.domain.errors import GongkaiError
from workflow.reports.compute import Report

# The families tried first, in this order (where installed, they draw the labels as an officer expects);
# then any installed font that has the characters.
CJK_FAMILIES = (
    # Linux: fonts-noto-cjk, Adobe's Source Han (the same design), WenQuanYi, AR PL
    "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN", "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    # Windows
    "Microsoft YaHei", "SimHei", "DengXian", "SimSun", "NSimSun", "KaiTi", "FangSong",
    # macOS
    "PingFang SC", "Hiragino Sans GB", "Heiti SC", "STHeiti", "Songti SC", "STSong", "Arial Unicode MS",
    # serif and fallbacks anywhere
    "Noto Serif CJK SC", "Source Han Serif SC", "AR PL UMing CN", "AR PL UKai CN", "Droid Sans Fallback",
)
SEARCHED = "Noto Sans CJK SC、思源黑体、文泉驿、微软雅黑、黑体 SimHei、宋体、苹方 PingFang SC、冬青黑体"
PROBE = "申请公开每月办理结果"
INSTALL = ("Debian/Ubuntu：sudo apt-get install fonts-noto-cjk；Fedora/RHEL：sudo dnf install "
           "google-noto-sans-cjk-fonts；Arch：sudo pacman -S noto-fonts-cjk；Alpine：apk add font-noto-cjk；"
           "Windows 与 macOS 自带中文字体（黑体、微软雅黑、苹方），若已删除请从系统设置重新安装")


class NoChineseFont(GongkaiError):
    """No installed font draws Chinese, so the chart cannot be labelled."""

    def __init__(self) -> None:
        super().__init__(f"图表未生成：本机没有可显示中文的字体（已查找 {SEARCHED} 等）。安装一种后重新运行即可。"
                         f"{INSTALL}。")


GROUPS = [  # (row-code prefix, label)
    ("disclosed", "予以公开"),
    ("partially_disclosed", "部分公开"),
    ("withheld.", "不予公开"),
    ("unavailable.", "无法提供"),
    ("not_processed.", "不予处理"),
    ("other.", "其他处理"),
]

_found: list[str] = []  # the font found in this process; nothing found is not kept (a font may be installed)


def covers(path: str) -> bool:
    """Whether the font file draws every character of the chart's probe."""
    from matplotlib import ft2font

    try:
        charmap = ft2font.FT2Font(path).get_charmap()
    except (OSError, RuntimeError):
        return False
    return all(ord(ch) in charmap for ch in PROBE)


def _add_new_system_fonts() -> None:
    """Fonts the system lists that matplotlib's cached list does not (installed since it was written)."""
    from matplotlib import font_manager

    manager = font_manager.fontManager
    known = {f.fname for f in manager.ttflist}
    for path in sorted(set(font_manager.findSystemFonts()) - known):
        if covers(path):
            try:
                manager.addfont(path)
            except (OSError, RuntimeError, ValueError):
                continue


def _by_family(family: str) -> str | None:
    """The file matplotlib's font manager gives for a family, if it has that family (no fallback)."""
    from matplotlib import font_manager

    try:
        path = font_manager.fontManager.findfont(font_manager.FontProperties(family=family),
                                                 fallback_to_default=False, rebuild_if_missing=False)
    except ValueError:
        return None
    return str(path) if path else None


def cjk_font() -> str | None:
    """The family name of an installed font that can draw Chinese, or None."""
    from matplotlib import font_manager

    if _found:
        return _found[0]
    _add_new_system_fonts()
    names = {f.name for f in font_manager.fontManager.ttflist}
    for family in (f for f in CJK_FAMILIES if f in names):
        path = _by_family(family)
        if path and covers(path):
            _found.append(family)
            return family
    for f in sorted(font_manager.fontManager.ttflist, key=lambda f: f.name):
        if "Last Resort" not in f.name and covers(f.fname):  # Last Resort maps every character to a box
            _found.append(f.name)
            return str(f.name)
    return None


def outcome_counts(r: Report) -> list[int]:
    return [sum(v["total"] for k, v in r.table3.items() if k == prefix or (prefix.endswith(".") and
                                                                          k.startswith(prefix)))
            for prefix, _ in GROUPS]


def png_or_none(r: Report, warn: Callable[[str], None]) -> bytes | None:
    """The chart, or None where no font draws Chinese, after telling ``warn`` why and how to install one."""
    try:
        return png(r)
    except NoChineseFont as e:
        warn(f"gongkai: {e} 年报照常写出，不附图表。")
        return None


def png(r: Report) -> bytes:
    if r.received_by_month is None or r.concluded_by_month is None:
        raise ValueError("the chart draws requests per month: build the report with months=True")
    font = cjk_font()
    if font is None:
        raise NoChineseFont
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    with matplotlib.rc_context({"font.family": [font]}):
        fig = Figure(figsize=(10, 4), dpi=110)
        FigureCanvasAgg(fig)
        left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [3, 2]})
        months = list(range(1, 13))
        width = 0.4
        left.bar([m - width / 2 for m in months], r.received_by_month, width, label="收到", color="#4472c4")
        left.bar([m + width / 2 for m in months], r.concluded_by_month, width, label="办结", color="#a5a5a5")
        left.set_xticks(months, [f"{m}月" for m in months])
        left.set_title(f"{r.year}年每月申请数")
        left.legend(frameon=False)
        left.yaxis.get_major_locator().set_params(integer=True)
        counts = outcome_counts(r)
        labels = [label for _, label in GROUPS]
        right.barh(labels[::-1], counts[::-1], color="#70ad47")
        right.set_title("办理结果")
        right.xaxis.get_major_locator().set_params(integer=True)
        for y, n in enumerate(counts[::-1]):
            right.annotate(str(n), (n, y), xytext=(3, 0), textcoords="offset points", va="center")
        for ax in (left, right):
            ax.spines[["top", "right"]].set_visible(False)
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png", metadata={"Software": None})
    return buf.getvalue()
