"""Checkpoints anchor the audit chain's head outside the database, so that a history cut off at
its end (the newest events deleted) or rewritten whole is caught: the chain alone cannot show
either, since what is left still links up.

`jixiao audit checkpoint` (daily, by the scheduler) appends the head's sequence number and hash
as one JSON line to an append-only file (instance/audit_checkpoints, or AUDIT_CHECKPOINTS) and
mails it to the 安全审计员, whose mailboxes are a second copy out of the database's reach;
`jixiao audit verify` checks the chain against every line. The daily job checks the whole chain
first (`check_and_record`): a checkpoint is taken only of a chain that verifies, a chain that
does not is reported to the auditors at once, and either result is kept for their page."""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.audit.models import AuditEvent
from workflow.instance import instance_dir


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    at: str  # when it was taken (ISO 8601, UTC)


def checkpoint_file(env=os.environ) -> Path:
    return Path(env.get("AUDIT_CHECKPOINTS") or instance_dir(env) / "audit_checkpoints")


def take(session: Session, path: Path, *, now: dt.datetime) -> Checkpoint | None:
    """Append the chain's head to the file (None: no event yet). Written with O_APPEND and
    fsync'd, one line per checkpoint; nothing in it is ever rewritten."""
    head = session.execute(
        select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
    ).first()
    if head is None:
        return None
    point = Checkpoint(head.seq, head.hash, now.astimezone(dt.UTC).isoformat())
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps({"seq": point.seq, "hash": point.hash, "at": point.at}) + "\n"
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line.encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    return point


def read(path: Path) -> list[Checkpoint]:
    """Every checkpoint in the file (none when there is no file yet). A line that cannot be
    read is an error: the file is evidence, and a damaged one must be looked at."""
    if not path.exists():
        return []
    points = []
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            points.append(Checkpoint(int(data["seq"]), str(data["hash"]), str(data["at"])))
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}:{number}: 无法读取的检查点：{line[:80]!r}") from exc
    return points


def announce(session: Session, point: Checkpoint, *, now: dt.datetime) -> int:
    """Queue a mail with the checkpoint to each active 安全审计员 who has an address (in the
    caller's transaction; the outbox sends it). Once per checkpoint and person, however many
    schedulers take it. Returns how many were queued."""
    from workflow.notify.mailer import queue_emails

    admins = _auditors(session)
    body = (
        "审计记录检查点（请保存本邮件，勿转发）：\n"
        f"  序号：{point.seq}\n  哈希：{point.hash}\n  时间（UTC）：{point.at}\n\n"
        "核查审计记录时，运行 jixiao audit verify：检查点文件中的每一行都须与记录相符。"
        "若检查点文件丢失或被改动，可用本邮件中的序号和哈希核对。\n"
    )
    mails = [
        {"dedupe_key": f"audit-checkpoint:{point.seq}:{point.hash[:16]}:{user.id}",
         "to_addr": user.email, "subject": f"【绩效管理】审计记录检查点：序号 {point.seq}",
         "body": body}
        for user in admins
    ]  # fmt: skip
    return len(queue_emails(session, mails, now=now)) if mails else 0


def _auditors(session: Session) -> list:
    from workflow.org.models import Role, User, UserRole

    return list(
        session.scalars(
            select(User)
            .join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role == Role.auditor.value, User.is_active, User.email.is_not(None))
        )
    )


def check_and_record(session: Session, path: Path, *, now: dt.datetime, source: str):
    """Verify the whole chain against every checkpoint; if it holds, take a checkpoint and
    mail it; if not, mail the auditors what was found. The result is kept for the auditor's
    page either way (workflow.audit.trail). Commits; returns the kept result."""
    from workflow.audit import chain, trail
    from workflow.notify.mailer import queue_emails

    try:
        result = chain.verify(session, read(path))
    except ValueError as exc:  # a damaged checkpoint file is itself a finding
        result = chain.VerifyResult(False, 0, reason=f"检查点文件无法读取（{exc}）")
    point = take(session, path, now=now) if result.ok else None
    if point is not None:
        announce(session, point, now=now)
    elif not result.ok:
        found = trail.describe(result)
        at = now.astimezone(dt.UTC)
        body = (
            f"{at.isoformat()}（UTC）校验审计记录时发现：{found}。\n"
            "请保全数据库与检查点文件，在服务器上运行 jixiao audit verify 复核，"
            "并按应急预案处置。\n"
        )
        mails = [
            {"dedupe_key": f"audit-broken:{at.date().isoformat()}:{user.id}",
             "to_addr": user.email, "body": body,
             "subject": "【绩效管理】审计记录完整性校验未通过，请立即核查"}
            for user in _auditors(session)
        ]  # fmt: skip
        if mails:
            queue_emails(session, mails, now=now)
    kept = trail.record_verification(session, result, now=now, source=source, head=point)
    session.commit()
    return kept


def record(session: Session, path: Path, *, now: dt.datetime) -> tuple[Checkpoint | None, int]:
    """Take a checkpoint and mail it (the daily job and `jixiao audit checkpoint`); commits.
    Returns the checkpoint (None: no event yet) and how many mails were queued."""
    point = take(session, path, now=now)
    mailed = announce(session, point, now=now) if point is not None else 0
    session.commit()
    return point, mailed
