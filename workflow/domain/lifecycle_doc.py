"""``docs/lifecycle.md``, written from the lifecycle's table and the actions' declaration.

The document is generated, never edited by hand: ``tests/unit/test_vocabulary.py`` fails when the file
differs from :func:`document`, and ``python -m workflow.domain.lifecycle_doc`` rewrites it.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from rules import actions as a
from workflow.domain.states import STATES, TRANSITIONS, diagram

DOC = Path(__file__).resolve().parents[2] / "docs" / "lifecycle.md"
_NAME = {x.trigger: x.name for x in a.ACTIONS.values()}


def _sources(t: dict[str, Any]) -> str:
    return ", ".join(t["source"] if isinstance(t["source"], list) else [t["source"]])


def _transitions() -> list[str]:
    rows = ["| action | from | to | conditions |", "|---|---|---|---|"]
    rows += [f"| {_NAME[t['trigger']]} | {_sources(t)} | {t['dest'] or '(unchanged)'} | "
             f"{', '.join(t.get('conditions', [])) or '—'} |" for t in TRANSITIONS]
    return rows


def _option(o: a.Option) -> str:
    return f"`{o.flag}`" if o.required else f"[`{o.flag}`]"


def _actions() -> list[str]:
    rows = ["| action | label | options | reply clock | concludes with | letter | sheet column |",
            "|---|---|---|---|---|---|---|"]
    for x in a.ACTIONS.values():
        ends = (x.outcome or "its `--outcome`") if x.concludes else "—"
        rows.append(f"| {x.name} | {x.label} | {' '.join(map(_option, x.options)) or '—'} | {x.clock} | {ends} | "
                    f"{x.letter or '—'} | {x.column.name if x.column else '—'} |")
    return rows


def document() -> str:
    states = ", ".join(f"`{s['name']}` ({s['label']})" for s in STATES)
    records = " and ".join(f"`{r}`" for r in a.RECORDS)
    return "\n".join([
        "# The request lifecycle",
        "",
        "Generated from the table in `workflow/domain/states.py` and the actions declared in",
        "`rules/actions.py` (`tests/unit/test_vocabulary.py` fails if this file differs; regenerate it with",
        "`python -m workflow.domain.lifecycle_doc`).",
        "",
        f"States: {states}.",
        '"Extended" and "delayed" are facts of the history, not states; "carried over" is the view',
        f'"open on 31 December". {records} are records that change no state.',
        f"{' and '.join(f'`{c}`' for c in a.ACTIONS if c in a.CORRECTIONS)} correct the record "
        "(`rules/corrections.py`). An undo returns",
        "the state and deadlines the history gives without the action it revokes (the table says",
        '"(unchanged)": where it returns depends on that history); a voided request accepts nothing more',
        "and is in no listing, alert or count.",
        "",
        "```mermaid",
        diagram().rstrip("\n"),
        "```",
        "",
        *_transitions(),
        "",
        "## The actions",
        "",
        "Every action takes `--on DATE` and " + ", ".join(f"`{o.flag}`" for o in a.COMMON) + ".",
        "",
        *_actions(),
        "",
    ])


if __name__ == "__main__":
    DOC.write_text(document(), encoding="utf-8")
    sys.stdout.write(f"wrote {DOC}\n")
