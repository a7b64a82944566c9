"""``gongkai show``: one request on one screen (80×24 for a typical request).

What an officer acts on comes first: the deadlines, each on one line with its short explanation; then
the history, one line an event (date, action, officer, what it recorded, in words: 申请人类型：自然人,
never ``applicant_type=natural_person``); then the letters written and what may be done now. A line
longer than the terminal ends in "…" rather than wrapping; ``--verbose`` prints every line in full,
with the letters' files and SHA-256 digests.

    2026-0003  已办结 · 1.本机关不掌握相关政府信息
    申请人：绿源环保科技有限公司（商业企业）  电话：138****6535
    收到日期：2026-01-15（平信）  申请内容：某行政处罚决定书
    期限
      答复期限  2026-02-12  2026-01-21 完成  收到申请（2026-01-15）后20个工作日（条例第三十三条）
    办理记录
      1  2026-01-15  登记      李明  申请人类型：商业企业，渠道：平信
      2  2026-01-21  作出答复  陈静  办理结果：1.本机关不掌握相关政府信息
"""

from __future__ import annotations

import re
from typing import Any

from cli.context import CommandConsole
from rules import actions as action_facts
from rules import outcomes
from rules.deadline_kinds import (
    CONSULTATION,  # also the name of the option (and payload key) --consultation N
)
from rules.intake.channels import CHANNELS
from rules.report.layout import APPLICANT_LABELS

console = CommandConsole()

# The payload's keys as an officer names them; a key not here is shown as it is stored.
PAYLOAD_NAMES = {
    "channel": "渠道", "applicant_type": "申请人类型", "arrived_on": "到达日期", "imported_from": "导入自",
    "outcome": "办理结果", "party": "征求对象", "to": "征求意见对象", "describe": "信息描述", "period": "补正期限",
    "items": "件数", "days": "延长工作日", "approved_by": "批准人", "until": "延迟至", "reason": "原因",
    "amount": "金额（元）", "pages": "页数", "delivered_on": "送达日期", CONSULTATION: "征求意见",
    "undoes": "撤销", "ground": "依据", "obtain": "获取方式", "holder": "掌握机关", "note": "备注",
    "kind": "文书", "about": "关于", "format": "格式", "file": "文件", "sha256": "SHA-256",
    "recorded_late": "补录（超过时限）", "fields": "查看",
}
PARTIES = {"third-party": "第三方", "agency": "其他机关", "authority": "主管部门", "coordination": "协商"}
REVEALED = {"phone": "电话", "id_number": "身份证号", "address": "地址"}
HIDDEN_UNLESS_VERBOSE = ("format", "file", "sha256")


def value_label(key: str, value: Any) -> str:
    """A payload value as a label (a code turned into its Chinese name), else as it was recorded."""
    from rules.letters import KINDS

    text = str(value)
    named: dict[str, str] = {
        "channel": CHANNELS[text].label if text in CHANNELS else text,
        "applicant_type": APPLICANT_LABELS.get(text, text),
        "outcome": outcomes.OUTCOMES[text].label if text in outcomes.OUTCOMES else text,
        "party": PARTIES.get(text, text),
        "kind": KINDS[text].title if text in KINDS else text,
        "undoes": f"#{text}", "about": f"#{text}", CONSULTATION: f"#{text}",
        "recorded_late": "是" if value else "否",
        "period": f"{text} 个工作日", "days": f"{text} 个工作日",
        "fields": "、".join(REVEALED.get(str(f), str(f)) for f in value) if isinstance(value, list) else text,
    }
    return named.get(key, text)


def payload_text(payload: dict[str, Any], verbose: bool = False, action: str = "") -> str:
    names = {**PAYLOAD_NAMES, "items": "补正内容"} if action == action_facts.REQUEST_CORRECTION else PAYLOAD_NAMES
    return "，".join(f"{names.get(k, k)}：{value_label(k, v)}" for k, v in payload.items()
                    if verbose or k not in HIDDEN_UNLESS_VERBOSE)


_CITED = re.compile(r"（(?:条例|国办函)[^）]*）")


def short(explanation: str) -> str:
    """An explanation without its citations (条例第三十三条): ``--verbose`` and ``--json`` keep them."""
    return _CITED.sub("", explanation)


def _provisional(flag: bool) -> str:
    return "（暂定）" if flag else ""


def _aligned(rows: list[tuple[list[str], str]], verbose: bool, below: bool = False) -> None:
    """Rows of cells, each row one line: every column but the last aligned and never cut (dates,
    references, labels); the last fills the rest of the line and ends in … (``--verbose``: folds).
    ``below``: a last cell that does not fit goes on a line of its own under the row, indented."""
    from rich.cells import cell_len
    from rich.text import Text

    if not rows:
        return
    widths = [max(map(cell_len, column)) for column in zip(*(r[:-1] for r, _ in rows), strict=True)]
    for cells, style in rows:
        head = "  " + "  ".join(c + " " * (w - cell_len(c)) for c, w in zip(cells, widths, strict=False))
        room = console.width - cell_len(head) - 2
        if below and cell_len(cells[-1]) > room:
            console.print(Text(head.rstrip(), style=style), no_wrap=True, crop=False)
            head, room = "    ", console.width - 6
        last = cells[-1] if verbose else _cut(cells[-1], room)
        text = Text(head + "  " + last if last else head.rstrip(), style=style)  # text, never markup
        console.print(text, no_wrap=not verbose, overflow="fold" if verbose else "ellipsis", crop=not verbose)


_UNFINISHED = re.compile(r"[（(]?[\d\-.:：]*$")


def _cut(text: str, room: int) -> str:
    """``text`` in ``room`` columns: cut before a date or number it would split, and ended in …."""
    from rich.cells import cell_len

    if cell_len(text) <= room:
        return text
    cut = text
    while cut and cell_len(cut) + 1 > room:
        cut = cut[:-1]
    return _UNFINISHED.sub("", cut) + "…"


def request_detail(d: dict[str, Any], verbose: bool = False) -> None:
    line = {"no_wrap": not verbose, "overflow": "fold" if verbose else "ellipsis"}
    from rich.markup import escape

    a = {k: escape(v) if isinstance(v, str) else v for k, v in d["applicant"].items()}
    console.print(f"[bold]{d['ref']}[/bold]  {d['state_label']}"
                  + (f" · {d['outcome_label']}" if d["outcome_label"] else "")
                  + (" · [red]逾期答复[/red]" if d["late"] else "")
                  + (" · 期限暂停（征求意见/待缴费）" if d["paused"] else ""), **line)
    console.print(f"申请人：{a['name']}（{a['type_label']}）  电话：{a['phone'] or '—'}", **line)
    if a["id_number"] or a["address"]:
        console.print(f"身份证号：{a['id_number'] or '—'}  地址：{a['address'] or '—'}", **line)
    console.print(f"收到日期：{d['received_on']}（{d['channel_label']}）  申请内容：{escape(d['subject'])}", **line)
    if d["voided"]:
        v = d["voided"]
        console.print(f"[bold]已作废[/bold]：{v['on']} {v['officer']}，原因：{escape(v['reason'])}（编号保留，不计入统计）", **line)
    if d["deadlines"]:
        console.print("[bold]期限[/bold]")
        rows = []
        for dl in d["deadlines"]:
            if dl["closed_on"]:
                status = f"{dl['closed_on']} 完成" + ("（逾期）" if dl["late"] else "")
            else:
                status = "已逾期" if dl["overdue"] else "进行中"
            rows.append(([dl["label"] + (f" #{dl['key']}" if dl["key"] else ""), dl["due"] + _provisional(dl["provisional"]),
                          status, dl["explanation"] if verbose else short(dl["explanation"])],
                         "bold red" if dl["overdue"] and not dl["closed_on"] else ""))
        _aligned(rows, verbose, below=True)
    console.print("[bold]办理记录[/bold]")
    events = []
    letters = []
    for ev in d["events"]:
        label = action_facts.LABELS.get(ev["action"], ev["action"])
        if ev["undone_by"]:
            label += f"（已由 #{ev['undone_by']} 撤销）"
        events.append(([str(ev["seq"]), ev["on"], label, ev["officer"],
                        payload_text(ev["payload"], verbose, ev["action"])], "dim" if ev["undone_by"] else ""))
        if ev["action"] == action_facts.NOTICE:
            letters.append(f"{value_label('kind', ev['payload'].get('kind', ''))}（{ev['on']}，#{ev['seq']}）")
    _aligned(events, verbose)
    if letters:
        console.print("文书：" + "、".join(letters), **line)
    if d["allowed_now"]:
        console.print("现在可以：" + "、".join(action_facts.LABELS.get(x, x) for x in d["allowed_now"]), **line)
