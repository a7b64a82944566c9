"""Roles, privileges and row-level security on PostgreSQL: the database itself keeps agencies apart.

Every officer signs in as their own LOGIN role (``gongkai officer add 李明 --agency minzheng --login
liming`` creates it, without a password: the administrator sets password, peer or certificate
authentication in ``pg_hba.conf``). That role is a member of two group roles (NOLOGIN):

* one per privilege level, ``gongkai_officer`` < ``gongkai_supervisor`` < ``gongkai_platform`` (each
  level has the privileges of the one before it);
* one per agency, ``gongkai_agency_<code>`` (a code that is not ``[a-z0-9_]{1,40}`` is spelled by the
  first 16 hex digits of its md5, so that the name stays a plain identifier under 63 bytes).

The GRANTs give each level what it needs: an officer reads and writes requests, deadlines, appeals and
alerts but only appends events (no UPDATE or DELETE), and only reads agencies, closed years, the
year log and table 二; a supervisor also closes and reopens the year and enters table 二; a platform
officer also manages agencies and officers. Row-level security on every table that holds an agency's
data lets a role see and change only the rows of the agencies it is a member of; ``gongkai_platform``
sees every agency. The owner of the tables (who ran ``gongkai db upgrade``) is not subject to it.

The policies' functions name their catalog tables in full (``pg_catalog.pg_roles``): a temporary view
of that name, which any role may create and which a bare name would find first, cannot stand in.

``gongkai_sign_in(login, agency, level)`` is the one way a platform officer creates a login role: a
SECURITY DEFINER function owned by the database's owner (who needs CREATEROLE), so that platform
officers need no CREATEROLE themselves. ``install`` is idempotent: migration 0005 runs it, and so does
the creation of a new database.
"""

from __future__ import annotations

import hashlib
import re

from sqlalchemy import Connection, text

LEVELS = ("officer", "supervisor", "platform")

# Tables with an ``agency`` column, and tables whose agency is their request's or their alert's.
BY_AGENCY = ("request", "alert", "closed_year", "year_log", "table2_entry", "officer")
BY_REQUEST = ("event", "deadline", "appeal", "approval")
BY_ALERT = ("alert_delivery",)

GRANTS = {
    "officer": [
        "SELECT ON ALL TABLES IN SCHEMA public",
        "USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public",
        "INSERT, UPDATE ON request, appeal, alert, alert_delivery, meta",
        "INSERT ON event",
        "INSERT, UPDATE, DELETE ON deadline",
        "UPDATE (used) ON approval",
    ],
    "supervisor": [
        "INSERT ON approval, year_log",
        "INSERT, UPDATE, DELETE ON closed_year, table2_entry",
    ],
    "platform": [
        "INSERT, UPDATE, DELETE ON agency, officer",
        "DELETE ON meta",
    ],
}

# The evidence's tables (migration 0006): granted once they exist, since migration 0005 installs the rest
# before them. Officers append to their agency's ledger chain (an appeal recorded); a supervisor's
# close-year signs a checkpoint. Nobody but the owner updates or deletes either.
EVIDENCE_GRANTS = {
    "officer": ["INSERT ON ledger"],
    "supervisor": ["INSERT ON checkpoint"],
}

FUNCTIONS = [
    r"""CREATE OR REPLACE FUNCTION gongkai_agency_role(code text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT 'gongkai_agency_' || CASE WHEN code ~ '^[a-z0-9_]{1,40}$' THEN code ELSE left(md5(code), 16) END
$$""",
    r"""CREATE OR REPLACE FUNCTION gongkai_platform() RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT pg_has_role(current_user, 'gongkai_platform', 'MEMBER')
$$""",
    r"""CREATE OR REPLACE FUNCTION gongkai_agencies() RETURNS text[] LANGUAGE sql STABLE AS $$
  SELECT coalesce(array_agg(a.code), '{}') FROM public.agency a
  JOIN pg_catalog.pg_roles r ON r.rolname = public.gongkai_agency_role(a.code)
  WHERE pg_has_role(current_user, r.oid, 'MEMBER')
$$""",
    r"""CREATE OR REPLACE FUNCTION gongkai_group(role text) RETURNS void LANGUAGE plpgsql
SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = role) THEN
    EXECUTE format('CREATE ROLE %I NOLOGIN', role);
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;  -- created meanwhile by another database
END $$""",
    r"""CREATE OR REPLACE FUNCTION gongkai_sign_in(login text, code text, level text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  IF level NOT IN ('officer', 'supervisor', 'platform') THEN
    RAISE EXCEPTION 'unknown level %', level;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = login) THEN
    EXECUTE format('CREATE ROLE %I LOGIN', login);
  END IF;
  PERFORM gongkai_group(gongkai_agency_role(code));
  EXECUTE format('GRANT %I TO %I', gongkai_agency_role(code), login);
  EXECUTE format('GRANT %I TO %I', 'gongkai_' || level, login);
END $$""",
    # Officers may mark an approval used (UPDATE (used)), never used again: a trigger, since a column
    # privilege cannot say in which direction.
    r"""CREATE OR REPLACE FUNCTION gongkai_approval_once() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.used AND NOT NEW.used THEN
    RAISE EXCEPTION 'approval % is used: an approval is used once', OLD.id;
  END IF;
  RETURN NEW;
END $$""",
    r"""REVOKE ALL ON FUNCTION gongkai_sign_in(text, text, text) FROM PUBLIC""",
    r"""REVOKE ALL ON FUNCTION gongkai_group(text) FROM PUBLIC""",
]


def agency_role(code: str) -> str:
    """The group role of an agency, as ``gongkai_agency_role`` spells it in the database."""
    if re.fullmatch(r"[a-z0-9_]{1,40}", code):
        return f"gongkai_agency_{code}"
    return f"gongkai_agency_{hashlib.md5(code.encode()).hexdigest()[:16]}"  # noqa: S324 - a name, not a secret


def install(c: Connection) -> None:
    """The group roles, their privileges, and the policies (PostgreSQL only; idempotent)."""
    if c.dialect.name != "postgresql":
        return
    c.execute(text("SELECT pg_advisory_xact_lock(hashtext('gongkai-roles'))"))
    for statement in FUNCTIONS:
        c.execute(text(statement))
    for level in LEVELS:
        c.execute(text("SELECT gongkai_group(:r)"), {"r": f"gongkai_{level}"})
    c.exec_driver_sql("GRANT gongkai_officer TO gongkai_supervisor")
    c.exec_driver_sql("GRANT gongkai_supervisor TO gongkai_platform")
    evidence = _exists(c, "ledger")
    for level, grants in GRANTS.items():
        for grant in grants + (EVIDENCE_GRANTS.get(level, []) if evidence else []):
            c.exec_driver_sql(f"GRANT {grant} TO gongkai_{level}")
    c.exec_driver_sql("GRANT EXECUTE ON FUNCTION gongkai_sign_in(text, text, text) TO gongkai_platform")
    c.exec_driver_sql("GRANT EXECUTE ON FUNCTION gongkai_group(text) TO gongkai_platform")
    for table, rows in policies():
        if not _exists(c, table):
            continue
        c.exec_driver_sql(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        c.exec_driver_sql(f"DROP POLICY IF EXISTS gongkai_agency ON {table}")
        c.exec_driver_sql(f"CREATE POLICY gongkai_agency ON {table} USING ({rows}) WITH CHECK ({rows})")
    c.exec_driver_sql("DROP TRIGGER IF EXISTS gongkai_approval_once ON approval")
    c.exec_driver_sql("CREATE TRIGGER gongkai_approval_once BEFORE UPDATE ON approval "
                      "FOR EACH ROW EXECUTE FUNCTION gongkai_approval_once()")
    # A platform-wide closing ("*") freezes every agency's year: everyone reads it.
    c.exec_driver_sql("DROP POLICY IF EXISTS gongkai_platform_wide ON closed_year")
    c.exec_driver_sql("CREATE POLICY gongkai_platform_wide ON closed_year FOR SELECT USING (agency = '*')")


def uninstall(c: Connection) -> None:
    if c.dialect.name != "postgresql":
        return
    for table, _ in policies():
        if not _exists(c, table):
            continue
        c.exec_driver_sql(f"DROP POLICY IF EXISTS gongkai_agency ON {table}")
        c.exec_driver_sql(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
    c.exec_driver_sql("DROP POLICY IF EXISTS gongkai_platform_wide ON closed_year")


def policies() -> list[tuple[str, str]]:
    """Each table's rows a role sees. The functions are wrapped in scalar subqueries, so that a query
    asks them once, not once a row; a request's and an alert's rows are found through their own
    policies (a subquery on a table is subject to that table's row-level security)."""
    by_agency = ("(SELECT public.gongkai_platform()) "
                 "OR agency IN (SELECT unnest(public.gongkai_agencies()))")
    # The ledger's chains are the registry's (agencies and officers: platform only) and one per agency.
    by_chain = ("(SELECT public.gongkai_platform()) "
                "OR chain IN (SELECT 'agency:' || unnest(public.gongkai_agencies()))")
    return ([(t, by_agency) for t in BY_AGENCY]
            + [(t, "request_id IN (SELECT r.id FROM public.request r)") for t in BY_REQUEST]
            + [(t, "alert_id IN (SELECT a.id FROM public.alert a)") for t in BY_ALERT]
            + [("ledger", by_chain)])


def _exists(c: Connection, table: str) -> bool:
    return bool(c.execute(text("SELECT to_regclass(:t) IS NOT NULL"), {"t": f"public.{table}"}).scalar())


def add_agency(c: Connection, code: str) -> None:
    if c.dialect.name == "postgresql":
        c.execute(text("SELECT gongkai_group(gongkai_agency_role(:code))"), {"code": code})


def add_login(c: Connection, login: str, agency: str, level: str) -> None:
    """Create (or reuse) the officer's LOGIN role and make it a member of its agency and level."""
    if c.dialect.name == "postgresql":
        c.execute(text("SELECT gongkai_sign_in(:login, :agency, :level)"),
                  {"login": login, "agency": agency, "level": level})
