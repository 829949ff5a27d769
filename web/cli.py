"""The `jixiao` command: database, users, demo data, audit, lifecycle files, the web server."""

from __future__ import annotations

import sys

import click
from sqlalchemy import select

from web.config import Config
from web.migrate import upgrade
from workflow.audit import chain
from workflow.audit.algorithms import AuditHashError, configured_alg
from workflow.clock import SystemClock
from workflow.db import Database
from workflow.errors import InvalidInput, Problem
from workflow.lifecycle.machine import load_lifecycle
from workflow.lifecycle.spec import SpecError
from workflow.org import operations as org
from workflow.org.models import Role, Unit
from workflow.uow import UnitOfWork


def _database() -> Database:
    return Database(Config().DATABASE_URL)


@click.group()
def main() -> None:
    """绩效: workflow and approval of fiscal-expenditure projects."""
    try:
        configured_alg()  # every command, the scheduler among them: never a silent SHA-256
    except AuditHashError as exc:
        raise click.ClickException(str(exc)) from exc


@main.command("init-db")
def init_db() -> None:
    """Create or upgrade the database schema (Alembic upgrade head)."""
    url = Config().DATABASE_URL
    if url.startswith("sqlite:///"):
        from pathlib import Path

        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    upgrade(url)
    click.echo("数据库已升级到最新版本")
    from workflow.library.operations import seed_default

    with _database().session(write=True) as session:
        added = seed_default(session, now=SystemClock().now())
        session.commit()
    if added:
        click.echo(f"绩效指标库：已载入 {added} 个初始指标（投入类共性指标及样表指标）")
    from workflow.evaluation.operations import rescore_signed
    from workflow.lifecycle.machine import get_lifecycle

    with _database().session(write=True) as session:
        scored = rescore_signed(session, get_lifecycle().spec, missing_only=True)
        session.commit()
    if scored:
        click.echo(f"自评得分：已为 {scored} 份此前已审核的自评表记录得分和等级")


@main.command("create-user")
@click.option("--username", required=True)
@click.option("--name", "display_name", required=True, help="姓名")
@click.option(
    "--role", "roles", multiple=True, required=True, type=click.Choice([r.value for r in Role])
)
@click.option("--unit", "unit_code", default=None, help="单位编码（填报人、单位负责人必填）")
@click.option("--email", default="")
@click.password_option(help="至少8位，含大写字母、小写字母、数字、符号中的至少三类")
def create_user(username, display_name, roles, unit_code, email, password) -> None:
    """Add a user (for the first administrator, or from scripts)."""
    db = _database()
    with db.session(write=True) as session:
        unit_id = None
        if unit_code:
            unit_id = session.scalar(select(Unit.id).where(Unit.code == unit_code))
            if unit_id is None:
                raise click.ClickException(f"单位编码 {unit_code} 不存在")
        try:
            user = org.create_user(
                UnitOfWork(session),
                username=username,
                display_name=display_name,
                password=password,
                roles=roles,
                unit_id=unit_id,
                email=email,
                actor=None,
                now=SystemClock().now(),
            )
        except InvalidInput as exc:
            raise click.ClickException("；".join(p.message for p in exc.problems)) from exc
        click.echo(f"已创建用户 {user.username}")


IMPORTABLE = (".docx", ".xlsx", ".pdf", ".txt", ".md", ".tsv")


@main.command("import")
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@click.option(
    "--unit", "unit_code", required=True, help="单位编码：草稿归入该单位（其第一个填报人名下）"
)
def import_folder(folder, unit_code) -> None:
    """导入一个文件夹中的申报表，每个文件生成本单位的一份草稿；再次运行时已导入的文件不会重复导入。"""
    from pathlib import Path

    from workflow.imports import grid
    from workflow.imports.operations import filler_of, import_declaration, report_of

    db = _database()
    with db.session() as session:
        try:
            creator_id = filler_of(session, unit_code).id
        except InvalidInput as exc:
            raise click.ClickException("；".join(p.message for p in exc.problems)) from exc
    paths = sorted(p for p in Path(folder).rglob("*")
                   if p.is_file() and p.suffix.lower() in IMPORTABLE)  # fmt: skip
    skipped = sorted(p.name for p in Path(folder).rglob("*")
                     if p.is_file() and p.suffix.lower() not in IMPORTABLE)  # fmt: skip
    rows: list[tuple[str, str, str, int, int]] = []  # file, outcome, project, fields, unplaced
    with click.progressbar(paths, label="导入中", show_pos=True,
                           item_show_func=lambda p: p.name if p else "") as bar:  # fmt: skip
        for path in bar:
            rows.append(_import_one(db, path, creator_id, grid, import_declaration, report_of))
    made = sum(1 for r in rows if r[1] == "已导入")
    again = sum(1 for r in rows if r[1] == "已导入过")
    refused = [r for r in rows if r[1] not in ("已导入", "已导入过")]
    click.echo("")
    click.echo(f"{'文件':<36}{'结果':<10}{'识别栏目':>8}{'未归位':>8}  项目")
    for name, outcome, project, fields, unplaced in rows:
        click.echo(f"{name[:34]:<36}{outcome[:20]:<10}{fields:>8}{unplaced:>8}  {project}")
    click.echo(
        f"共读取 {len(rows)} 个文件：新导入 {made} 份草稿，{again} 个已导入过（未重复导入），"
        f"{len(refused)} 个未导入；共识别 {sum(r[3] for r in rows)} 个栏目"
        + (f"；另有 {len(skipped)} 个文件不是可导入的格式" if skipped else "")
    )  # fmt: skip
    for name, outcome, *_ in refused:
        click.echo(f"  未导入：{name}：{outcome}")


def _import_one(db, path, creator_id: int, grid, import_declaration, report_of):
    """One file, in its own transaction and session (a folder of any size stays in memory one
    file at a time): (file, outcome, project, fields, unplaced)."""
    from workflow.org.models import User

    try:
        if path.stat().st_size > grid.MAX_BYTES:
            raise InvalidInput([Problem("file", f"文件超过 {grid.MAX_BYTES >> 20} MB")])
        content = path.read_bytes()
        with db.session(write=True) as session:
            creator = session.get(User, creator_id)
            done = import_declaration(UnitOfWork(session), content, path.name, actor=None,
                                      creator=creator, now=SystemClock().now())  # fmt: skip
            report = report_of(done.record)
            return (path.name, "已导入过" if done.again else "已导入",
                    f"{done.project.year} {done.project.name}", len(report["found"]),
                    len(report["unplaced"]))  # fmt: skip
    except InvalidInput as exc:
        return (path.name, "；".join(p.message for p in exc.problems), "", 0, 0)
    except OSError as exc:
        return (path.name, f"无法读取文件（{exc.strerror or exc}）", "", 0, 0)


@main.command("demo")
def demo() -> None:
    """Load demo units, users and projects (once) and print the demo accounts."""
    from workflow.demo import DEMO_PASSWORD, load_demo

    db = _database()
    with db.session(write=True) as session:
        accounts = load_demo(session, SystemClock())
    if accounts is None:
        click.echo("演示数据已存在，未重复加载。")
        from workflow.demo import DEMO_ACCOUNTS as accounts
    click.echo(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
    for username, description in accounts:
        click.echo(f"  {username:<14} {description}")


@main.group()
def audit() -> None:
    """The audit trail."""


@audit.command("verify")
def audit_verify() -> None:
    """Check the whole hash chain with the audit key, and against every checkpoint; print OK
    or the first broken event, and the hash algorithms the events verified were made with."""
    from workflow.audit import checkpoints

    path = checkpoints.checkpoint_file()
    try:
        points = checkpoints.read(path)
    except ValueError as exc:
        click.echo(f"BROKEN checkpoint file: {exc}")
        sys.exit(1)
    from workflow.audit import trail

    with _database().session(write=True) as session:
        result = chain.verify(session, points)
        # Kept for the 安全审计员's page, as the daily check's result is.
        trail.record_verification(session, result, now=SystemClock().now(), source="command")
        session.commit()
    if result.ok:
        click.echo(f"OK: {result.checked} events verified, "
                   f"{result.checkpoints} checkpoints agree ({path})")  # fmt: skip
    else:
        click.echo(
            f"BROKEN at event seq={result.broken_seq} (id={result.broken_id}): {result.reason}; "
            f"{result.checked} events before it verified"
        )
    for use in result.algorithms:
        click.echo(f"  {use.alg}: {use.events} events (seq {use.first_seq}–{use.last_seq})")
    if not result.ok:
        sys.exit(1)


@audit.command("checkpoint")
def audit_checkpoint() -> None:
    """What the scheduler does daily: check the whole chain; if it holds, append its head
    (sequence number and hash) to the checkpoint file and mail it to the 安全审计员; if not,
    tell them and take none."""
    from workflow.audit import checkpoints

    path = checkpoints.checkpoint_file()
    with _database().session(write=True) as session:
        kept = checkpoints.check_and_record(session, path, now=SystemClock().now(),
                                            source="command")  # fmt: skip
        ok, seq, head, reason = kept.ok, kept.head_seq, kept.head_hash, kept.reason
    if not ok:
        click.echo(f"审计记录校验未通过，未生成检查点：{reason}")
        sys.exit(1)
    if seq is None:
        click.echo("审计记录为空，未生成检查点")
        return
    click.echo(f"检查点：序号 {seq}，哈希 {head}（已写入 {path}，并已通知安全审计员）")


@main.command("check-states")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def check_states(path) -> None:
    """Validate a lifecycle file (states.yaml or a variant)."""
    try:
        lc = load_lifecycle(path)
    except SpecError as exc:
        click.echo(f"INVALID: {exc}")
        sys.exit(1)
    spec = lc.spec
    click.echo(f"OK: {len(spec.states)} states, {len(spec.transitions)} transitions")
    for warning in _cosign_warnings(spec):
        click.echo(f"WARNING: {warning}")


def _cosign_warnings(spec) -> list[str]:
    """A 会签 that needs more people than the database has (active users of its roles) could
    never be met: said as a warning, since accounts may still be opened. Nothing without a
    database to ask."""
    import os

    from sqlalchemy import func, select
    from sqlalchemy.exc import SQLAlchemyError

    from workflow.db import Database
    from workflow.org.models import User, UserRole

    rules = [t for t in spec.transitions if t.approvals is not None]
    url = os.environ.get("DATABASE_URL")
    if not rules or not url:
        return []
    warnings = []
    db = Database(url)
    try:
        with db.session() as session:
            for t in rules:
                rule = t.approvals
                for roles, needed in [((r,), 1) for r in rule.all_of] or [
                    (tuple(rule.roles), rule.count)
                ]:
                    people = session.scalar(
                        select(func.count(func.distinct(UserRole.user_id)))
                        .join(User, User.id == UserRole.user_id)
                        .where(UserRole.role.in_(roles), User.is_active.is_(True))
                    )  # fmt: skip
                    if people < needed:
                        names = "或".join(spec.roles.get(r, r) for r in roles)
                        warnings.append(
                            f"转换「{t.trigger}」的会签需 {needed} 位{names}同意，"
                            f"但系统中在用的{names}只有 {people} 位"
                        )
    except SQLAlchemyError:
        return []  # no database yet (before init-db): nothing to compare with
    finally:
        db.dispose()
    return warnings


@main.command("scheduler")
@click.option("--once", is_flag=True, help="补发今日提醒、发送发件箱邮件并生成排队的 PDF 后退出")
def scheduler(once) -> None:
    """Run the scheduler process: daily reminders (and each user's digest), the email outbox
    every minute and the PDFs the pages asked for every 2 s. Several may run on one database:
    each reminder, email and PDF is made once. --once does what a start does, then exits."""
    import datetime as dt
    import logging
    import os

    from web.config import Config
    from workflow.lifecycle.machine import get_lifecycle
    from workflow.notify.mailer import SmtpSettings
    from workflow.org.sessions import SessionPolicy
    from workflow.scheduler import Jobs, catch_up, run

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # not a line a minute
    smtp = SmtpSettings.from_env(os.environ)
    if smtp is None:
        click.echo("未配置 SMTP_HOST：邮件将保留在发件箱中（系统管理员可在「邮件发件箱」页面查看）")
    config = Config()  # the settings the web nodes read: session times, login-log days
    jobs = Jobs(
        db=_database(),
        clock=SystemClock(),
        spec=get_lifecycle().spec,
        smtp=smtp,
        base_url=os.environ.get("BASE_URL", "http://127.0.0.1:5000"),
        session_policy=SessionPolicy(
            idle=dt.timedelta(minutes=config.SESSION_IDLE_MINUTES),
            absolute=dt.timedelta(hours=config.SESSION_MAX_HOURS),
        ),
        login_log_days=config.LOGIN_LOG_DAYS,
        render_seconds=config.RENDER_SECONDS,
    )
    if once:
        catch_up(jobs)
        jobs.pdfs()
        return
    run(jobs)


@main.command("render-pdfs")
@click.option("--once", is_flag=True, help="生成当前排队的 PDF 后退出")
@click.option("--retry-failed", is_flag=True, help="先让生成失败的 PDF 重新排队（排除故障后使用）")
def render_pdfs(once, retry_failed) -> None:
    """Make the PDFs the pages queued, as the scheduler does every 2 s: --once drains the queue
    and exits (for tests and operators); without it, keep watching the queue."""
    import time

    from workflow.exports import documents

    db, clock = _database(), SystemClock()
    seconds = Config().RENDER_SECONDS  # one PDF's time limit
    if retry_failed:
        with db.session(write=True) as session:
            count = documents.retry_failed(session, now=clock.now())
            session.commit()
        click.echo(f"已将 {count} 个生成失败的 PDF 重新排队")
    documents.lower_priority()
    while True:
        run = documents.render_pending(db, clock, seconds=seconds)
        if once:
            click.echo(f"已生成 {run.made} 个 PDF，失败 {run.failed} 次")
            return
        time.sleep(2)


@main.command("serve")
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=5000, type=int)
def serve(host, port) -> None:
    """Serve the app with Flask's development server (use a WSGI server in production)."""
    from web import create_app

    create_app().run(host=host, port=port)


if __name__ == "__main__":
    main()
