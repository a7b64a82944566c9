"""Who gets an alert by e-mail: the officer who handles the request, and for an overdue one the supervisors.

The addresses come from two places, merged: the officers registered with an e-mail address
(``gongkai officer``; a supervisor of an agency is told of its overdue deadlines), then the
``[alerts.officers]`` and ``[alerts.supervisors]`` tables of the configuration, which win and whose
supervisors are told for every agency::

    Directory({"李明": "liming@x.cn"}, {"*": ["chief@x.cn"], "A01": ["a01@x.cn"]})
        .addresses("李明", "A01", to_supervisors=True)  →  ["liming@x.cn", "chief@x.cn", "a01@x.cn"]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlmodel import Session, col, select

from workflow.alerts.settings import AlertSettings
from workflow.store import models


@dataclass(frozen=True)
class Directory:
    """Who gets e-mail: the configured addresses, then the officers registered with one."""

    officers: Mapping[str, str]
    supervisors: Mapping[str, Sequence[str]]  # agency -> addresses; "*" for every agency

    def addresses(self, officer: str, agency: str, to_supervisors: bool) -> list[str]:
        found = [self.officers[officer]] if officer in self.officers else []
        if to_supervisors:
            found += [*self.supervisors.get("*", ()), *self.supervisors.get(agency, ())]
        return list(dict.fromkeys(found))


def directory(session: Session, cfg: AlertSettings) -> Directory:
    o = models.Officer
    officers: dict[str, str] = {}
    supervisors: dict[str, list[str]] = defaultdict(list)
    for name, agency, role, email in session.execute(select(o.name, o.agency, o.role, o.email)
                                                     .where(col(o.email).is_not(None))):
        officers[name] = email
        if role == "supervisor":
            supervisors[agency].append(email)
    officers.update(cfg.officers)
    supervisors["*"] = list(cfg.supervisors.values())
    return Directory(officers, supervisors)
