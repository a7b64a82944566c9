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

from rich.table import Table

from cli.context import CommandConsole
from rules import actions as action_facts
from rules import outcomes
from rules.intake.channels import CHANNELS
from rules.report.layout import APPLICANT_LABELS

console = CommandConsole()

# The payload's keys as an officer names them; a key not here is shown as it is stored.
PAYLOAD_NAMES = {
    "channel": "渠道", "applicant_type": "申请人类型", "arrived_on": "到达日期", "imported_from": "导入自",
    "outcome": "办理结果", "party": "征求对象", "to": "征求意见对象", "describe": "信息描述", "period": "补正期限",
    "items": "件数", "days": "延长工作日", "approved_by": "批准人", "until": "延迟至", "reason": "原因",
    "amount": "金额（元）", "pages": "页数", "delivered_on": "送达日期", "consultation": "征求意见",
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
        "undoes": f"#{text}", "about": f"#{text}", "consultation": f"#{text}",
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


def _grid(*no_wrap: bool, verbose: bool) -> Table:
    """Columns that never wrap (dates, references, labels) and a last one that ends in … (or folds)."""
    t = Table.grid(padding=(0, 2))
    t.add_column(width=0)  # the indent
    for keep in no_wrap:
        t.add_column(no_wrap=keep or not verbose, overflow="fold" if verbose else "ellipsis")
    return t


def request_detail(d: dict[str, Any], verbose: bool = False) -> None:
    line = {"no_wrap": not verbose, "overflow": "fold" if verbose else "ellipsis"}
    a = d["applicant"]
    console.print(f"[bold]{d['ref']}[/bold]  {d['state_label']}"
                  + (f" · {d['outcome_label']}" if d["outcome_label"] else "")
                  + (" · [red]逾期答复[/red]" if d["late"] else "")
                  + (" · 期限暂停（征求意见/待缴费）" if d["paused"] else ""), **line)
    console.print(f"申请人：{a['name']}（{a['type_label']}）  电话：{a['phone'] or '—'}", **line)
    if a["id_number"] or a["address"]:
        console.print(f"身份证号：{a['id_number'] or '—'}  地址：{a['address'] or '—'}", **line)
    console.print(f"收到日期：{d['received_on']}（{d['channel_label']}）  申请内容：{d['subject']}", **line)
    if d["voided"]:
        v = d["voided"]
        console.print(f"[bold]已作废[/bold]：{v['on']} {v['officer']}，原因：{v['reason']}（编号保留，不计入统计）", **line)
    if d["deadlines"]:
        console.print("[bold]期限[/bold]")
        t = _grid(True, True, True, False, verbose=verbose)
        for dl in d["deadlines"]:
            if dl["closed_on"]:
                status = f"{dl['closed_on']} 完成" + ("（逾期）" if dl["late"] else "")
            else:
                status = "[bold red]已逾期[/bold red]" if dl["overdue"] else "进行中"
            t.add_row("", dl["label"] + (f" #{dl['key']}" if dl["key"] else ""),
                      dl["due"] + _provisional(dl["provisional"]), status,
                      dl["explanation"] if verbose else short(dl["explanation"]))
        console.print(t)
    console.print("[bold]办理记录[/bold]")
    e = _grid(True, True, True, True, False, verbose=verbose)
    letters = []
    for ev in d["events"]:
        label = action_facts.LABELS.get(ev["action"], ev["action"])
        if ev["undone_by"]:
            label += f"（已由 #{ev['undone_by']} 撤销）"
        e.add_row("", str(ev["seq"]), ev["on"], label, ev["officer"], payload_text(ev["payload"], verbose, ev["action"]),
                  style="dim" if ev["undone_by"] else "")
        if ev["action"] == action_facts.NOTICE:
            letters.append(f"{value_label('kind', ev['payload'].get('kind', ''))}（{ev['on']}，#{ev['seq']}）")
    console.print(e)
    if letters:
        console.print("文书：" + "、".join(letters), **line)
    if d["allowed_now"]:
        console.print("现在可以：" + "、".join(action_facts.LABELS.get(x, x) for x in d["allowed_now"]), **line)
