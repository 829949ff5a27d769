"""The `jixiao` command against a real database."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select, text

from web.cli import main
from workflow.audit import append_only
from workflow.audit.models import AuditVerification
from workflow.db import Database
from workflow.lifecycle.operations import fire
from workflow.notify.models import OutboundEmail
from workflow.org.models import Role, User
from workflow.uow import UnitOfWork

STATES = Path(__file__).parents[2] / "states.yaml"


@pytest.fixture
def run(database_url, monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("JIXIAO_INSTANCE", str(tmp_path))

    def invoke(*args, input=None):
        return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)

    return invoke


def test_init_db_is_idempotent(run, db):
    result = run("init-db")
    assert result.exit_code == 0 and "数据库已升级到最新版本" in result.output


def test_audit_verify_says_ok_then_names_the_broken_event(run, db, session, make, clock):
    unit = make.unit()
    filler = make.user(Role.filler, unit=unit)
    project = make.project(unit, creator=filler)
    event = fire(UnitOfWork(session), project, "submit", actor=filler, now=clock.now())
    ok = run("audit", "verify")
    assert ok.exit_code == 0 and ok.output.startswith("OK: 1 events verified")
    append_only.remove(session.connection())  # someone with the rights to drop the triggers
    session.execute(text("UPDATE audit_events SET comment = '悄悄改' WHERE id = :id"),
                    {"id": event.id})  # fmt: skip
    session.commit()
    broken = run("audit", "verify")
    assert broken.exit_code == 1
    assert f"BROKEN at event seq=1 (id={event.id})" in broken.output


def test_audit_checkpoint_anchors_the_head_and_verify_checks_it(run, db, session, make, clock,
                                                                  tmp_path):  # fmt: skip
    unit = make.unit()
    filler = make.user(Role.filler, unit=unit)
    auditor = make.user(Role.auditor)  # the checkpoint goes to the 安全审计员
    session.get(User, auditor.id).email = "security@czj.example.cn"
    session.commit()
    project = make.project(unit, creator=filler)
    fire(UnitOfWork(session), project, "submit", actor=filler, now=clock.now())
    assert "审计记录为空" not in run("audit", "checkpoint").output
    taken = run("audit", "checkpoint")  # a second one (the next day's): another line
    assert taken.exit_code == 0 and "检查点：序号 1" in taken.output
    lines = (tmp_path / "audit_checkpoints").read_text().splitlines()
    assert len(lines) == 2 and '"seq": 1' in lines[0]
    mails = session.scalars(select(OutboundEmail)).all()
    assert [(m.to_addr, m.subject) for m in mails] == [
        ("security@czj.example.cn", "【绩效管理】审计记录检查点：序号 1")
    ]  # once per checkpoint and person
    ok = run("audit", "verify")
    assert ok.exit_code == 0 and "2 checkpoints agree" in ok.output
    session.rollback()  # a new snapshot: the command wrote its result (SQLite WAL)
    append_only.remove(session.connection())
    session.execute(text("DELETE FROM audit_events"))  # the whole history cut off
    session.commit()
    broken = run("audit", "verify")
    assert broken.exit_code == 1 and "链尾被截断" in broken.output
    refused = run("audit", "checkpoint")  # no checkpoint of a history cut off
    assert refused.exit_code == 1 and "审计记录校验未通过，未生成检查点" in refused.output
    assert len((tmp_path / "audit_checkpoints").read_text().splitlines()) == 2
    session.rollback()
    kept = session.execute(select(AuditVerification.source, AuditVerification.ok)
                           .order_by(AuditVerification.id)).all()  # fmt: skip
    assert kept == [("command", True)] * 3 + [("command", False)] * 2


def test_audit_verify_names_the_hash_algorithms_it_saw(run, db, session, make, clock,
                                                       monkeypatch):  # fmt: skip
    unit = make.unit()
    filler = make.user(Role.filler, unit=unit)
    for setting in ("sha256", "sm3", "sm3"):  # the site goes over to 国密 after one event
        monkeypatch.setenv("AUDIT_HASH", setting)
        project = make.project(unit, creator=filler)
        fire(UnitOfWork(session), project, "submit", actor=filler, now=clock.now())
    ok = run("audit", "verify")
    assert ok.exit_code == 0 and ok.output.startswith("OK: 3 events verified"), ok.output
    assert "  hmac-sha256: 1 events (seq 1–1)\n  hmac-sm3: 2 events (seq 2–3)\n" in ok.output
    monkeypatch.setenv("AUDIT_HASH", "sha256")  # this machine's OpenSSL without SM3:
    monkeypatch.setattr(hashlib, "algorithms_available", hashlib.algorithms_available - {"sm3"})
    broken = run("audit", "verify")
    assert broken.exit_code == 1 and "BROKEN at event seq=2" in broken.output
    assert "无法核验" in broken.output and "hmac-sha256: 1 events" in broken.output


@pytest.mark.parametrize(("setting", "sm3", "says"), [
    ("sm3", False, "AUDIT_HASH=sm3，但本机 Python 所用的 OpenSSL"),
    ("md5", True, "AUDIT_HASH='md5'：未知的审计哈希算法"),
])  # fmt: skip
def test_no_process_starts_with_an_audit_hash_it_cannot_compute(run, db, clock, monkeypatch,
                                                                 setting, sm3, says):  # fmt: skip
    """Not the command line, the scheduler or the web app: never a silent SHA-256."""
    from web import create_app
    from workflow.audit.algorithms import AuditHashError
    from workflow.lifecycle.machine import get_lifecycle
    from workflow.scheduler import Jobs, catch_up

    monkeypatch.setenv("AUDIT_HASH", setting)
    if not sm3:
        monkeypatch.setattr(hashlib, "algorithms_available",
                            hashlib.algorithms_available - {"sm3"})  # fmt: skip
    for command in (["audit", "verify"], ["scheduler", "--once"], ["init-db"]):
        refused = run(*command)
        assert refused.exit_code == 1 and says in refused.output, (command, refused.output)
    with pytest.raises(AuditHashError, match=says):
        create_app()
    jobs = Jobs(db=db, clock=clock, spec=get_lifecycle().spec, smtp=None, base_url="http://j")
    with pytest.raises(AuditHashError, match=says):
        catch_up(jobs)


def test_create_user_then_log_in_with_it(run, db, session, make):
    unit = make.unit()
    result = run("create-user", "--username", "chief", "--name", "张科长", "--role", "unit_head",
                 "--unit", unit.code, input="Secret-pass1\nSecret-pass1\n")  # fmt: skip
    assert result.exit_code == 0, result.output
    user = session.scalar(select(User).where(User.username == "chief"))
    assert user.roles == {Role.unit_head} and user.unit_id == unit.id
    refused = run("create-user", "--username", "x", "--name", "无单位", "--role", "filler",
                  input="secret-pass\nsecret-pass\n")  # fmt: skip
    assert refused.exit_code == 1 and "填报人和单位负责人必须属于一个单位" in refused.output
    assert "密码须包含大写字母、小写字母、数字、符号中的至少三类" in refused.output


def test_demo_prints_the_accounts(run, db):
    first = run("demo")
    assert first.exit_code == 0 and "gaj_tb" in first.output and "Jixiao@2026" in first.output
    again = run("demo")
    assert "演示数据已存在" in again.output and "gaj_tb" in again.output


def test_check_states_accepts_the_bundled_file_and_names_faults(run, tmp_path):
    ok = run("check-states", str(STATES))
    assert ok.exit_code == 0 and ok.output.startswith("OK: 10 states, 14 transitions")
    broken = tmp_path / "broken.yaml"
    broken.write_text(STATES.read_text(encoding="utf-8").replace("dest: archived", "dest: gone"),
                      encoding="utf-8")  # fmt: skip
    result = run("check-states", str(broken))
    assert result.exit_code == 1 and "引用了未知的状态「gone」" in result.output


def test_check_states_warns_of_a_cosign_nobody_could_meet(run, db, make, session):
    variant = Path(__file__).parents[1] / "variants" / "with_cosign.yaml"
    make.user(Role.reviewer)
    session.commit()
    one = run("check-states", str(variant))
    assert one.exit_code == 0 and one.output.startswith("OK: 10 states, 14 transitions")
    assert (
        "WARNING: 转换「approve」的会签需 2 位财政审核人同意，但系统中在用的财政审核人只有 1 位"
        in (one.output)
    )
    make.user(Role.reviewer)
    session.commit()
    assert "WARNING" not in run("check-states", str(variant)).output


def test_sqlite_runs_with_wal_foreign_keys_and_a_busy_timeout(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'pragmas.db'}")
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000


def test_create_user_makes_each_of_the_three_and_never_two_in_one(run, db):
    """A first install: the operator makes the 系统管理员, the 安全管理员 and the 安全审计员."""
    for username, role in (("sysadmin", "admin"), ("secadmin", "security_admin"),
                           ("auditor", "auditor")):  # fmt: skip
        made = run("create-user", "--username", username, "--name", username, "--role", role,
                   input="Secret-pass1\nSecret-pass1\n")  # fmt: skip
        assert made.exit_code == 0, made.output
    both = run("create-user", "--username", "boss", "--name", "老板", "--role", "admin",
               "--role", "auditor", input="Secret-pass1\nSecret-pass1\n")  # fmt: skip
    assert both.exit_code == 1 and "须由不同的人担任" in both.output
    with db.session() as session:
        made = {u.username: u.roles for u in session.scalars(select(User))}
    assert made == {"sysadmin": {Role.admin}, "secadmin": {Role.security_admin},
                    "auditor": {Role.auditor}}  # fmt: skip
