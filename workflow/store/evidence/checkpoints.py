"""Signed checkpoints: every chain head at one moment, signed with a key the database does not hold.

The chains are plain sha256, so whoever can write SQL can also recompute them after an edit. A
checkpoint pins what they were: for each agency, the number of requests, the highest number of each
year and a digest of every event hash recorded so far (in the order of their ids, up to ``max_event``),
and the head of every ledger chain. It is signed with the office's Ed25519 private key (``gongkai
evidence init``), stored in the database and appended to ``checkpoints.jsonl`` beside the key. Later,
``verify`` recomputes the same digests over the events up to ``max_event``: a history rewritten and
re-hashed, a request deleted (even the highest), or a ledger chain rebuilt disagrees with the signed
checkpoint, and a forged checkpoint does not verify under the public key.

The daily sweep and ``close-year`` take one; without a private key the checkpoint is stored unsigned,
which still catches a careless deletion but not a rewrite.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlmodel import Session, col, select

from workflow.store import history, models

PRIVATE = "evidence-key.pem"
PUBLIC = "evidence-key.pub.pem"
LOG = "checkpoints.jsonl"


@dataclass(frozen=True)
class Keys:
    """Where the key pair and the checkpoint file are (from the settings; any may be absent)."""

    private: Path | None
    public: Path | None
    log: Path | None


# -- the key pair -----------------------------------------------------------------------------------

def init(directory: Path, force: bool = False) -> tuple[Path, Path]:
    """Write a new Ed25519 key pair into ``directory``: the private key 0600, the public key 0644."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    private, public = directory / PRIVATE, directory / PUBLIC
    if not force and (private.exists() or public.exists()):
        raise FileExistsError(str(private if private.exists() else public))
    directory.mkdir(parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    _write(private, pem, 0o600)
    _write(public, key.public_key().public_bytes(serialization.Encoding.PEM,
                                                 serialization.PublicFormat.SubjectPublicKeyInfo), 0o644)
    return private, public


def _write(path: Path, data: bytes, mode: int) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, mode)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.chmod(tmp, mode)
    os.replace(tmp, path)


def key_id(public_pem: bytes) -> str:
    return hashlib.sha256(public_pem).hexdigest()[:16]


def sign(private: Path, body: str) -> tuple[str, str]:
    """(signature hex, key id) of ``body`` under the private key in ``private``."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = serialization.load_pem_private_key(private.read_bytes(), password=None)
    assert isinstance(key, Ed25519PrivateKey)
    public = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    return key.sign(body.encode()).hex(), key_id(public)


def signed_by(public: Path, body: str, signature: str) -> bool:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    key = serialization.load_pem_public_key(public.read_bytes())
    if not isinstance(key, Ed25519PublicKey):
        return False
    try:
        key.verify(bytes.fromhex(signature), body.encode())
    except (InvalidSignature, ValueError):
        return False
    return True


# -- what a checkpoint holds --------------------------------------------------------------------------

def heads(session: Session, max_event: int | None = None, agency: str | None = None) -> dict[str, Any]:
    """Every chain head: per agency the requests, the highest number of each year and the digest of the
    event hashes up to ``max_event`` (all of them when None); every ledger chain's (seq, hash)."""
    if max_event is None:
        max_event = session.execute(text("SELECT COALESCE(MAX(id), 0) FROM event")).scalar() or 0
    r = models.Request
    agencies: dict[str, dict[str, Any]] = defaultdict(lambda: {"requests": 0, "events": 0, "highest": {}})
    query = select(r.agency, r.year, r.seq)
    if agency is not None:
        query = query.where(r.agency == agency)
    for a, year, seq in session.execute(query):
        entry = agencies[a]
        entry["requests"] += 1
        entry["highest"][str(year)] = max(seq, entry["highest"].get(str(year), 0))
    digests: dict[str, Any] = {}
    for a, h in _event_hashes(session, max_event, agency):
        if a not in digests:
            digests[a] = hashlib.sha256()
        digests[a].update(h.encode())
        agencies[a]["events"] += 1
    for a, d in digests.items():
        agencies[a]["digest"] = d.hexdigest()
    ledger = {c: [s, h] for c, s, h in session.execute(text(
        "SELECT l.chain, l.seq, l.hash FROM ledger l JOIN (SELECT chain, MAX(seq) AS seq FROM ledger GROUP BY chain) m "
        "ON l.chain = m.chain AND l.seq = m.seq"))}
    if agency is not None:
        ledger = {c: v for c, v in ledger.items() if c == f"agency:{agency}"}
    return {"max_event": max_event, "agencies": dict(sorted(agencies.items())), "ledger": dict(sorted(ledger.items()))}


def _event_hashes(session: Session, max_event: int, agency: str | None) -> Iterator[tuple[str, str]]:
    e, r = models.Event, models.Request
    query = (select(r.agency, e.hash).join(r, col(e.request_id) == col(r.id))
             .where(col(e.id) <= max_event).order_by(col(e.id)))
    if agency is not None:
        query = query.where(r.agency == agency)
    for a, h in session.execute(query.execution_options(yield_per=10_000)):  # noqa: UP028 - rows as plain tuples
        yield a, h


def take(session: Session, keys: Keys) -> models.Checkpoint:
    """Sign the heads as they are now; store them and append them to the file outside the database."""
    if session.get_bind().dialect.name == "postgresql":
        # Event ids are handed out before their transactions commit: wait for every writer in flight
        # (and hold new ones for the moment of the scan), so that no event below ``max_event`` can
        # appear after the checkpoint and be taken for a forgery.
        session.execute(text("LOCK TABLE event IN SHARE MODE"))  # nothing else is held while waiting: no deadlock
    at = history.now()
    body = history.canonical({"at": history.utc(at).isoformat(), **heads(session)})
    try:
        signature, kid = sign(keys.private, body) if keys.private is not None and keys.private.is_file() else ("", "")
    except (OSError, ValueError):  # a key this account may not read: stored unsigned, as without one
        signature, kid = "", ""
    row = models.Checkpoint(at=at, body=body, signature=signature, key_id=kid)
    session.add(row)
    if signature and keys.log is not None:
        fd = os.open(keys.log, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as f:
            f.write(json.dumps({"body": body, "signature": signature, "key_id": kid}, ensure_ascii=False) + "\n")
    return row


def from_file(log: Path) -> list[dict[str, str]]:
    if not log.is_file():
        return []
    out = []
    for line in log.read_text(encoding="utf-8").splitlines():
        try:
            item = json.loads(line)
        except ValueError:
            continue
        if isinstance(item, dict) and "body" in item:
            out.append(item)
    return out


def differences(pinned: dict[str, Any], now: dict[str, Any], scope: str | None) -> Iterator[str]:
    """What no longer agrees with a checkpoint's heads (``now`` computed up to its ``max_event``), in Chinese."""
    for agency, then in pinned.get("agencies", {}).items():
        if scope is not None and agency != scope:
            continue
        current = now["agencies"].get(agency, {"requests": 0, "events": 0, "highest": {}})
        if current.get("digest") != then.get("digest") or current.get("events") != then.get("events"):
            yield (f"机关 {agency!r} 在检查点之前记录的办理记录已被改动或删除"
                   f"（检查点有 {then.get('events')} 条，现为 {current.get('events')} 条，摘要不符）")
        for year, highest in then.get("highest", {}).items():
            if current["highest"].get(year, 0) < highest:
                yield (f"机关 {agency!r} {year} 年的最大编号 {year}-{highest:04d} 已不存在"
                       f"（现为 {current['highest'].get(year, 0)}），申请被删除")
        if current["requests"] < then.get("requests", 0):
            yield f"机关 {agency!r} 的申请数少于检查点（{then.get('requests')} 件，现为 {current['requests']} 件）"
    for chain, (seq, h) in pinned.get("ledger", {}).items():
        if scope is not None and chain != f"agency:{scope}":
            continue
        if now["ledger_at"].get((chain, seq)) != h:
            yield f"记录链 {chain} 第 {seq} 条与检查点不符（被改动、删除或重算）"


def ledger_hashes(session: Session) -> dict[tuple[str, int], str]:
    return {(c, s): h for c, s, h in session.execute(text("SELECT chain, seq, hash FROM ledger"))}


def stamp(at: datetime) -> str:
    return history.utc(at).isoformat(sep=" ")
