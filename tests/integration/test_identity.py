"""Who acts is who signed in, and on PostgreSQL the database itself keeps agencies apart.

A city's platform on PostgreSQL 15, set up as the README says: the database's owner adds two
agencies, 某区民政局 (minzheng) and 某区自然资源局 (ziranziyuan), and the first platform officer 省平台;
省平台 signs in with their own role and registers 李明 (officer) and 张主任 (supervisor) of minzheng and
王芳 (officer) of ziranziyuan, each with a LOGIN role of their own. 李明 and 王芳 each register a request
received on Monday 2 March 2026. Every officer's command runs on a connection that signed in as their
role; ``psql`` is run as a subprocess with that role too.
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
from dataclasses import dataclass

import pytest
import time_machine

from tests.database import Cli
from tests.integration.test_import_requests import row, write_csv
from tests.pgserver import PgServer

REQUEST = ["register", "--received-on", "2026-03-02", "--channel", "online", "--applicant", "张三",
           "--applicant-type", "natural_person", "--subject", "某信息", "--phone", "13800001234"]
EXTEND = ["extend", "--on", "2026-03-20", "--days", "10"]
_LOGINS = itertools.count()


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with time_machine.travel("2026-11-25 10:00 +0800", tick=False):
        yield


@dataclass
class Platform:
    owner: Cli
    server: PgServer
    database: str
    logins: dict[str, str]  # officer → their LOGIN role
    refs: dict[str, str]  # agency → the request its officer registered

    def as_(self, officer: str) -> Cli:
        """The command line on a connection that signed in as the officer's role."""
        return Cli(f"postgresql+psycopg://{self.logins[officer]}@127.0.0.1:{self.server.port}/{self.database}")

    def psql(self, officer: str, sql: str) -> subprocess.CompletedProcess[str]:
        psql = shutil.which("psql") or "/usr/lib/postgresql/15/bin/psql"
        return subprocess.run([psql, "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
                               "-p", str(self.server.port), "-U", self.logins[officer], "-d", self.database,
                               "-c", sql], capture_output=True, text=True, timeout=60,
                              env={**os.environ, "PGCONNECT_TIMEOUT": "10"})


@pytest.fixture
def platform(db_target: str, pg_server: PgServer | None) -> Platform:
    if pg_server is None:
        pytest.skip("roles and row-level security are PostgreSQL's (GONGKAI_TEST_DB=postgresql)")
    unique = f"g{os.getpid()}_{next(_LOGINS)}"
    logins = {name: f"{unique}_{login}" for name, login in
              (("省平台", "plat"), ("李明", "li"), ("张主任", "zhang"), ("王芳", "wang"))}
    owner = Cli(db_target)
    owner("agency", "add", "minzheng", "某区民政局")
    owner("agency", "add", "ziranziyuan", "某区自然资源局")
    owner("officer", "add", "省平台", "--agency", "minzheng", "--role", "platform", "--login", logins["省平台"])
    p = Platform(owner, pg_server, db_target.rsplit("/", 1)[1], logins, {})
    for name, agency, role in (("李明", "minzheng", "officer"), ("张主任", "minzheng", "supervisor"),
                               ("王芳", "ziranziyuan", "officer")):
        p.as_("省平台")("officer", "add", name, "--agency", agency, "--role", role, "--login", logins[name],
                      "--email", f"{logins[name]}@example.cn")
    p.refs["minzheng"] = p.as_("李明").json(*REQUEST)["ref"]  # type: ignore[index]
    p.refs["ziranziyuan"] = p.as_("王芳").json(*REQUEST)["ref"]  # type: ignore[index]
    return p


def test_an_officer_sees_only_their_agencys_requests_through_gongkai(platform: Platform) -> None:
    li = platform.as_("李明")
    assert [r["agency"] for r in li.json("list")] == ["minzheng"]  # type: ignore[union-attr]
    refused = li("--agency", "ziranziyuan", "list", ok=False)
    assert refused.exit_code == 1 and "不能在机关 'ziranziyuan' 办理" in refused.stderr  # type: ignore[attr-defined]
    assert sorted(r["agency"] for r in platform.as_("省平台").json("list")) == [  # type: ignore[union-attr]
        "minzheng", "ziranziyuan"]


def test_an_officer_cannot_read_or_change_another_agencys_rows_with_psql(platform: Platform) -> None:
    before = platform.owner.dump()
    seen = platform.psql("李明", "SELECT agency || ' ' || phone FROM request ORDER BY agency")
    assert seen.stdout.split("\n")[:-1] == ["minzheng 13800001234"], seen.stderr
    assert platform.psql("李明", "SELECT count(*) FROM event").stdout.strip() == "1"
    assert platform.psql("李明", "SELECT count(*) FROM deadline WHERE request_id NOT IN "
                                 "(SELECT id FROM request WHERE agency = 'minzheng')").stdout.strip() == "0"
    changed = platform.psql("李明", "UPDATE request SET subject = '改' WHERE agency = 'ziranziyuan'")
    assert changed.stdout.strip() == "UPDATE 0", changed.stderr
    moved = platform.psql("李明", "UPDATE request SET agency = 'ziranziyuan'")
    assert moved.returncode != 0 and "row-level security" in moved.stderr
    planted = platform.psql("李明", "INSERT INTO alert (scope, agency, officer, kind, key, threshold, due_on, "
                                    "provisional, to_supervisors, message, created_on, created_at) VALUES ('x', "
                                    "'ziranziyuan', '', 'k', '', 'due', '2026-03-30', false, false, 'm', "
                                    "'2026-11-25', now())")
    assert planted.returncode != 0 and "row-level security" in planted.stderr
    assert platform.owner.dump() == before


def test_a_temporary_view_cannot_stand_in_for_the_catalog(platform: Platform) -> None:
    """The policy asks pg_catalog.pg_roles; a temporary ``pg_roles`` claiming the other agency's role
    name for 李明's own agency role (searched first for a bare name) changes nothing."""
    forged = platform.psql("李明", "CREATE TEMP VIEW pg_roles AS SELECT 'gongkai_agency_ziranziyuan'::name AS rolname, "
                                   "oid FROM pg_catalog.pg_roles WHERE rolname = 'gongkai_agency_minzheng'; "
                                   "SELECT string_agg(DISTINCT agency, ',') FROM request")
    assert forged.returncode == 0, forged.stderr
    assert forged.stdout.split() == ["CREATE", "VIEW", "minzheng"]


def test_an_officer_cannot_rewrite_history_officers_agencies_or_closed_years(platform: Platform) -> None:
    before = platform.owner.dump()
    for sql in ("UPDATE event SET payload = '{}'", "DELETE FROM event",
                "UPDATE officer SET role = 'platform' WHERE name = '李明'", "DELETE FROM agency",
                "INSERT INTO closed_year (agency, year, closed_at, closed_by, checksum, report) "
                "VALUES ('minzheng', 2025, now(), '李明', '', '{}')",
                "INSERT INTO year_log (agency, year, action, officer, at, checksum) "
                "VALUES ('minzheng', 2025, 'close', '李明', now(), '')",
                "INSERT INTO approval (request_id, action, approver, approved_at, used) "
                "SELECT id, 'extend', '张主任', now(), false FROM request"):
        result = platform.psql("李明", sql)
        assert result.returncode != 0 and "permission denied" in result.stderr, sql
    assert platform.owner.dump() == before
    # A supervisor writes their own agency's year log, not another's.
    own = platform.psql("张主任", "INSERT INTO year_log (agency, year, action, officer, at, checksum, reason) "
                                  "VALUES ('minzheng', 2025, 'reopen', '张主任', now(), '', 'psql')")
    assert own.returncode == 0, own.stderr
    other = platform.psql("张主任", "INSERT INTO year_log (agency, year, action, officer, at, checksum) "
                                    "VALUES ('ziranziyuan', 2025, 'close', '张主任', now(), '')")
    assert other.returncode != 0 and "row-level security" in other.stderr


def test_officers_list_only_their_agencys_officers_and_emails(platform: Platform) -> None:
    listed = platform.as_("王芳").json("officer", "list")
    assert [(o["name"], o["email"]) for o in listed] == [  # type: ignore[union-attr]
        ("王芳", f"{platform.logins['王芳']}@example.cn")]
    assert platform.psql("王芳", "SELECT string_agg(name, ',' ORDER BY name) FROM officer").stdout.strip() == "王芳"
    assert len(platform.as_("省平台").json("officer", "list")) == 4  # type: ignore[arg-type]
    # Nor through the evidence: the registry's ledger chain (officers with their e-mails) is the platform's,
    # each agency's chain its own; and no officer rewrites a ledger entry.
    assert platform.psql("王芳", "SELECT count(*) FROM ledger WHERE chain = 'registry' OR chain = 'agency:minzheng'"
                         ).stdout.strip() == "0"
    assert int(platform.psql("省平台", "SELECT count(*) FROM ledger WHERE chain = 'registry'").stdout) > 0
    rewrite = platform.psql("王芳", "UPDATE ledger SET payload = '{}'")
    assert rewrite.returncode != 0 and "permission denied" in rewrite.stderr


def test_a_named_officer_or_environment_changes_nothing_once_officers_sign_in(
        platform: Platform, monkeypatch: pytest.MonkeyPatch) -> None:
    li = platform.as_("李明")
    before = platform.owner.dump()
    refused = li("--officer", "省平台", "--agency", "ziranziyuan", "list", ok=False)
    assert refused.exit_code == 1  # type: ignore[attr-defined]
    assert "--officer '省平台' 与登录身份不符" in refused.stderr  # type: ignore[attr-defined]
    assert platform.owner.dump() == before
    monkeypatch.setenv("GONGKAI_OFFICER", "省平台")
    monkeypatch.setenv("USER", "省平台")
    monkeypatch.setenv("LOGNAME", "省平台")
    assert li.json("info")["officer"] == "李明"  # type: ignore[index]
    assert [r["agency"] for r in li.json("list")] == ["minzheng"]  # type: ignore[union-attr]
    assert li.json("--officer", "李明", "info")["role"] == "officer"  # type: ignore[index]


def test_an_extension_is_approved_by_the_head_under_their_own_sign_in(platform: Platform) -> None:
    li, zhang, ref = platform.as_("李明"), platform.as_("张主任"), platform.refs["minzheng"]
    before = platform.owner.dump()
    typed = li("advance", ref, *EXTEND, "--approved-by", "张主任", ok=False)
    assert typed.exit_code == 1 and f"gongkai approve {ref} extend" in typed.stderr  # type: ignore[attr-defined]
    assert platform.owner.dump() == before
    not_head = li("approve", ref, "extend", ok=False)
    assert "不是机关 'minzheng' 的负责人" in not_head.stderr  # type: ignore[attr-defined]
    other_agency = platform.as_("王芳")
    assert other_agency("approve", ref, "extend", ok=False).exit_code != 0  # type: ignore[attr-defined]
    due = li.json("show", ref)["reply_due"]  # type: ignore[index]
    zhang("approve", ref, "延期")
    li("advance", ref, *EXTEND, "--approved-by", "张主任")
    assert li.json("show", ref)["reply_due"] > due  # type: ignore[index, operator]
    events = [e["action"] for e in li.json("audit", "--ref", ref)]  # type: ignore[union-attr]
    assert events.count("extend") == 1
    used = platform.psql("张主任", "SELECT approver || ' ' || used FROM approval")
    assert used.stdout.strip() == "张主任 true"
    again = li("advance", ref, "extend", "--on", "2026-03-23", "--days", "5", "--approved-by", "张主任", ok=False)
    assert "负责人须以本人登录批准" in again.stderr  # type: ignore[attr-defined]  # the approval was used up
    # Used once: not even the officer who used it can mark it unused again through psql.
    again = platform.psql("李明", "UPDATE approval SET used = false")
    assert again.returncode != 0 and "used once" in again.stderr


def test_only_a_supervisor_closes_and_only_a_platform_officer_backs_up(platform: Platform, tmp_path) -> None:  # type: ignore[no-untyped-def]
    before = platform.owner.dump()
    closing = platform.as_("李明")("close-year", "2025", ok=False)
    assert closing.exit_code != 0 and "负责人（supervisor）" in closing.stderr  # type: ignore[attr-defined]
    other = platform.as_("王芳")("reopen-year", "2025", "--reason", "试", ok=False)
    assert other.exit_code != 0 and "负责人（supervisor）" in other.stderr  # type: ignore[attr-defined]
    backup = platform.as_("张主任")("backup", str(tmp_path / "b.dump"), ok=False)
    assert "只有平台管理员（platform）可以" in backup.stderr  # type: ignore[attr-defined]
    everyone = platform.as_("张主任")("report", "2026", "--all-agencies", ok=False)
    assert everyone.exit_code != 0  # type: ignore[attr-defined]
    assert platform.owner.dump() == before
    assert not (tmp_path / "b.dump").exists()


def test_an_officer_imports_into_their_own_agency_only(platform: Platform, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """COPY refuses tables under row-level security: an officer's import inserts instead."""
    sheet = write_csv(tmp_path / "台账.csv", [row("", "2026-03-03"), row("", "2026-03-04")])
    assert platform.as_("李明").json("import", "requests", str(sheet))["imported"] == 2  # type: ignore[index]
    assert platform.psql("王芳", "SELECT count(*) FROM request").stdout.strip() == "1"
    mine = platform.psql("李明", "SELECT string_agg(agency || ':' || ref, ',' ORDER BY ref) FROM request")
    assert mine.stdout.strip() == "minzheng:2026-0001,minzheng:2026-0002,minzheng:2026-0003"
