"""Bad input never hurts: random arguments at every command, and a process killed mid-write."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time

import pytest
import time_machine
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from typer.main import get_command

from cli.app import app as cli_app
from tests.database import Cli, dump

REQUEST = ["register", "--received-on", "2026-03-02", "--channel", "online", "--applicant", "张三",
           "--applicant-type", "natural_person", "--subject", "某信息"]

# Commands that only read, or that write only when everything checks out; long-running and
# interactive ones (demo, scheduler, restore) are exercised by their own tests.
SKIP = {"demo", "restore", "scheduler", "backup"}


def _leaves(group, prefix=()):  # type: ignore[no-untyped-def]
    for name in sorted(group.list_commands(None)):  # click's way: gongkai's root loads its commands lazily
        cmd = group.get_command(None, name)
        if name in SKIP:
            continue
        if hasattr(cmd, "list_commands"):
            yield from _leaves(cmd, (*prefix, name))
        else:
            yield (*prefix, name), cmd


COMMANDS = list(_leaves(get_command(cli_app)))
NASTY = st.one_of(
    st.sampled_from(["2026-02-30", "2026-13-01", "0000-00-00", "-1", "99999999999999999999", "", " ", "NaN",
                     "=cmd|' /C calc'!A0", "2026-0001", "2026-9999", "disclosed", "other.fee_unpaid", "第三方",
                     "\x00", "\u202e", "a" * 5000, "../../etc/passwd", "2026-03-05", "20"]),
    st.text(max_size=30),
)


@st.composite
def invocations(draw):  # type: ignore[no-untyped-def]
    path, cmd = draw(st.sampled_from(COMMANDS))
    args = list(path)
    for param in cmd.params:
        if param.param_type_name == "argument":
            args.append(draw(NASTY))
        elif draw(st.booleans()):
            flag = param.opts[0]
            if param.is_flag:
                args.append(flag)
            else:
                args += [flag, draw(NASTY)]
    return args


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("fuzz") / "fuzz.sqlite"
    (path.parent / "cwd" / "a" / "b").mkdir(parents=True)
    with time_machine.travel("2026-11-25 10:00 +0800", tick=False):
        cli = Cli(str(path))
        cli(*REQUEST)
        cli(*REQUEST)
        cli("advance", "2026-0002", "consult", "--on", "2026-03-03")
    return path


@pytest.mark.slow
@settings(max_examples=int(os.environ.get("GONGKAI_FUZZ_EXAMPLES", "300")), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(args=invocations())
def test_random_arguments_end_in_a_clear_message_and_change_nothing_when_refused(seeded, args) -> None:  # type: ignore[no-untyped-def]
    cli = Cli(str(seeded))
    before = dump(str(seeded))
    # Run where a path like ../../etc/passwd lands in a throwaway directory, whatever a command writes.
    with time_machine.travel("2026-11-25 10:00 +0800", tick=False), contextlib.chdir(seeded.parent / "cwd"):
        result = cli.runner.invoke(cli_app, ["--db", str(seeded), *args], catch_exceptions=True)
    assert result.exception is None or isinstance(result.exception, SystemExit), (args, result.exception)
    assert "Traceback" not in result.output, args
    assert result.exit_code in (0, 1, 2, 3), (args, result.exit_code)
    event(f"{' '.join(args[:2])}: exit {result.exit_code}")
    if result.exit_code in (1, 2):
        assert dump(str(seeded)) == before, args
        if result.exit_code == 1:
            assert result.stderr.startswith("gongkai: "), (args, result.stderr)


WRITER = """
import sys
from datetime import date
from workflow.usecases import requests as services
from workflow.domain.commands import Advance, Register
from workflow.app import Gongkai
app = Gongkai.open(sys.argv[1], officer="写入者", today=date(2026, 11, 25))
print("ready", flush=True)
for i in range(100000):
    ref = services.register(app, Register(date(2026, 3, 2), "online", f"甲{i}", "natural_person", "某信息"))
    services.advance(app, Advance(ref, "consult", date(2026, 3, 3), {}))
    services.advance(app, Advance(ref, "consult-reply", date(2026, 3, 9), {}))
    services.advance(app, Advance(ref, "decide", date(2026, 3, 20), {"outcome": "disclosed"}))
"""


@pytest.mark.slow
@pytest.mark.parametrize("delay", [0.7, 1.3])
def test_a_process_killed_mid_write_leaves_a_database_that_verifies(db_target: str, delay: float) -> None:
    proc = subprocess.Popen([sys.executable, "-c", WRITER, db_target], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    cli = Cli(db_target)
    with time_machine.travel("2026-11-25 10:00 +0800", tick=False):
        report = cli.json("verify")
        listed = cli.json("list", "--all")
    assert report["findings"] == [] and report["checked"] > 1  # type: ignore[index]
    assert len(listed) == report["checked"]  # type: ignore[index,arg-type]
