"""The options of ``gongkai advance``, read off the actions' declaration (``rules.actions``).

An option several actions share is one flag (``--reason`` for delay and withdraw), its help line
naming each action's use of it: ``--items`` reads "request-correction（告知补正）：须补正的内容；
notify-fee（收费通知）：计收的件数。" The flags come in the order the actions first use them, then the
options every action takes (``--note``). A new option declared with its action appears here, in
the synopsis of ``advance --help`` and in the payload checks, with nothing else to edit.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import typer

from rules.actions import ACTIONS, COMMON, LABELS, STEPS, Option


def _synopsis(o: Option) -> str:
    return f"{o.flag} {o.metavar}" if o.required else f"[{o.flag} {o.metavar}]"


def _usage(name: str) -> str:
    return " ".join([LABELS[name], name, *(_synopsis(o) for o in ACTIONS[name].options if o.metavar)])


ACTION_HELP = (
    f"ACTION 为下列之一（写代码或中文名称均可）：{'；'.join(map(_usage, STEPS))}。"
    f"每个事项都可加 --on DATE（默认今天）和 {'、'.join(f'{o.flag} {o.metavar}' for o in COMMON)}。"
)


def metavars() -> dict[str, str]:
    """How ``--help`` shows each action option's value: as the ACTION synopsis does (DATE, N, TEXT …);
    a list of codes (third-party|agency|…) by its name (PARTY), the codes being in its help."""
    shown: dict[str, str] = {}
    for o in (*(o for name in STEPS for o in ACTIONS[name].options), *COMMON):
        if o.metavar:
            shown.setdefault(o.name, o.name.upper() if "|" in o.metavar else o.metavar)
    return shown


def flag_help() -> dict[str, str]:
    """Each action option's help line, in the order the actions first use them."""
    uses: dict[str, dict[str, list[str]]] = {}  # option → its help → the actions that use it so
    for name in STEPS:
        for o in ACTIONS[name].options:
            uses.setdefault(o.name, {}).setdefault(o.flag_help, []).append(name)
    lines = {option: "；".join(f"{'、'.join(f'{n}（{LABELS[n]}）' for n in names)}：{text}"
                              for text, names in helps.items()) + "。"
             for option, helps in uses.items()}
    return lines | {o.name: o.flag_help for o in COMMON}


def _parameter(name: str, help_text: str, metavar: str | None) -> inspect.Parameter:
    from cli.arguments import complete_outcome

    completion = {"autocompletion": complete_outcome} if name == "outcome" else {}
    return inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=str,
                             default=typer.Option(None, f"--{name.replace('_', '-')}", help=help_text,
                                                  metavar=metavar, **completion))


def with_action_options(command: Callable[..., Any], after: str) -> Callable[..., Any]:
    """Give ``command`` (which takes them as ``**given``) one parameter per action option, placed
    after its parameter ``after``: typer reads the signature, and passes them by name."""
    own = [p for p in inspect.signature(command).parameters.values() if p.kind is not p.VAR_KEYWORD]
    at = next(i for i, p in enumerate(own) if p.name == after) + 1
    keyword = [p.replace(kind=p.KEYWORD_ONLY) for p in own[at:]]
    added = [_parameter(name, text, metavars().get(name)) for name, text in flag_help().items()]
    command.__signature__ = inspect.Signature([*own[:at], *added, *keyword])  # type: ignore[attr-defined]
    return command
