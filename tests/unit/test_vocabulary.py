"""The vocabulary is declared once: actions in rules/actions.py, kinds of deadline in rules/deadline_kinds.py.

Every other module refers to them through the declaration's constants and tables. These tests read
the source of ``rules/``, ``workflow/`` and ``cli/`` and count the modules that spell a name as a
quoted string literal (``"request-correction"`` or ``'request_correction'``): at most two, the
declaration and one place that must name it.
"""

from __future__ import annotations

import re
from pathlib import Path

from rules import actions, deadline_kinds
from workflow.domain.lifecycle import ALL_ACTIONS
from workflow.domain.lifecycle_doc import DOC, document
from workflow.domain.states import TRANSITIONS

ROOT = Path(__file__).resolve().parents[2]
FOLDERS = ("rules", "workflow", "cli")
LIMIT = 2

# Being rewritten on another branch right now (issue 13); their spellings switch to the constants at
# merge. Until then they are reported, and the strict tests fail because of them only.
FROZEN = ("workflow/usecases/", "workflow/store/", "workflow/app.py", "workflow/io/imports.py")

# The same word meaning something else, as it appears in the source: not the action or the kind.
ACTION_HOMONYMS = {
    "rules/outcomes.py": ('FEE_LAPSED = "fee_lapsed"',),  # what an outcome needs, not the action
    "cli/notices.py": ('data["notice"]', "data['notice']", 'data.get("notice")'),  # the letter in `gongkai fee`'s result
    "workflow/usecases/fees.py": ('"notice": rendered',),
}
KIND_HOMONYMS = {
    "rules/actions.py": ('column="correction_period"', 'letter="reply"', 'letter="consultation"',
                         'Option("consultation"'),  # a sheet column, letter kinds, an option
    "rules/deadlines.py": ('payload.get("consultation"',),  # the consult-reply option
    "rules/letters.py": ('Kind("consultation"', 'Kind("reply"'),  # letter kinds
    "workflow/domain/actions.py": ('"consultation": lambda',),  # the option's check
    "workflow/letters/content.py": ('kind.code == "reply"', 'kind.code == "consultation"',
                                    '{"consultation": str(n)', '"letters", "fee_payment"'),  # letters, a setting
    "workflow/settings.py": ('d["reply"]', 'd["correction_notice"]', 'd["consultation"]',
                             'd["fee_payment"]'),  # the periods' settings
    "workflow/io/exports.py": ('out["correction_period"]',),  # the sheet column
    "workflow/io/import_rows.py": ('"correction_period": ("补正期限"', '"correction_period",\n',
                                   '("correction_period", "correction_requested_on")'),
}


def _sources(homonyms: dict[str, tuple[str, ...]]) -> dict[str, str]:
    out = {}
    for folder in FOLDERS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            name = path.relative_to(ROOT).as_posix()
            text = path.read_text(encoding="utf-8")
            for words in homonyms.get(name, ()):
                text = text.replace(words, "\n" * words.count("\n"))  # keep the line numbers
            out[name] = text
    return out


def _spelled(names: list[str], homonyms: dict[str, tuple[str, ...]]) -> dict[str, dict[str, list[int]]]:
    """For each name, the modules that spell it (hyphen or underscore form) and the lines where."""
    sources = _sources(homonyms)
    found: dict[str, dict[str, list[int]]] = {}
    for name in names:
        forms = "|".join(map(re.escape, {name, name.replace("-", "_")}))
        spelled = re.compile(rf"""["']({forms})["']""")
        for module, text in sources.items():
            lines = [i for i, line in enumerate(text.splitlines(), 1) if spelled.search(line)]
            if lines:
                found.setdefault(name, {})[module] = lines
    return found


def _too_many(found: dict[str, dict[str, list[int]]], constants: dict[str, str], skip_frozen: bool) -> list[str]:
    problems = []
    for name, modules in found.items():
        counted = {m: ls for m, ls in modules.items() if not (skip_frozen and m.startswith(FROZEN))}
        if len(counted) > LIMIT:
            where = "; ".join(f"{m}:{','.join(map(str, ls))}{' (frozen)' if m.startswith(FROZEN) else ''}"
                              for m, ls in counted.items())
            problems.append(f"{name!r} ({constants[name]}) is spelled in {len(counted)} modules: {where}")
    return problems


ACTION_CONSTANTS = {getattr(actions, c): f"rules.actions.{c}" for c in dir(actions)
                    if c.isupper() and isinstance(getattr(actions, c), str) and getattr(actions, c) in actions.ACTIONS}
KIND_CONSTANTS = {getattr(deadline_kinds, c): f"rules.deadline_kinds.{c}" for c in dir(deadline_kinds)
                  if c.isupper() and isinstance(getattr(deadline_kinds, c), str)
                  and getattr(deadline_kinds, c) in deadline_kinds.KINDS}


def test_every_action_has_a_constant_and_is_spelled_in_its_declaration() -> None:
    assert set(ACTION_CONSTANTS) == set(actions.ACTIONS)
    found = _spelled(list(actions.ACTIONS), ACTION_HOMONYMS)
    assert all("rules/actions.py" in modules for modules in found.values())


def test_outside_the_modules_being_rewritten_an_action_is_spelled_in_at_most_two_modules() -> None:
    assert _too_many(_spelled(list(actions.ACTIONS), ACTION_HOMONYMS), ACTION_CONSTANTS, skip_frozen=True) == []


def test_every_action_is_spelled_in_at_most_two_modules() -> None:
    """Fails until the frozen modules (FROZEN) use the constants the message names."""
    problems = _too_many(_spelled(list(actions.ACTIONS), ACTION_HOMONYMS), ACTION_CONSTANTS, skip_frozen=False)
    assert problems == [], "\n".join(problems)


def test_outside_the_modules_being_rewritten_a_deadline_kind_is_spelled_in_at_most_two_modules() -> None:
    found = _spelled(list(deadline_kinds.KINDS), KIND_HOMONYMS)
    assert _too_many(found, KIND_CONSTANTS, skip_frozen=True) == []


def test_every_deadline_kind_is_spelled_in_at_most_two_modules() -> None:
    """Fails until the frozen modules (FROZEN) use the constants the message names."""
    found = _spelled(list(deadline_kinds.KINDS), KIND_HOMONYMS)
    problems = _too_many(found, KIND_CONSTANTS, skip_frozen=False)
    assert problems == [], "\n".join(problems)


def test_the_transition_table_knows_only_declared_actions_and_every_step() -> None:
    assert set(ALL_ACTIONS) == set(actions.STEPS) | set(actions.RECORDS)
    assert {t["trigger"] for t in TRANSITIONS} <= {a.trigger for a in actions.ACTIONS.values()}


def test_advance_offers_every_declared_option() -> None:
    import typer.main

    from cli.app import app

    command = typer.main.get_command(app).get_command(None, "advance")  # type: ignore[attr-defined]
    flags = {flag for p in command.params for flag in p.opts}
    declared = {o.flag for a in actions.ACTIONS.values() for o in a.options} | {o.flag for o in actions.COMMON}
    assert declared <= flags


def test_the_lifecycle_document_is_generated_from_the_table() -> None:
    """Regenerate with `python -m workflow.domain.lifecycle_doc`."""
    assert DOC.read_text(encoding="utf-8") == document()
