"""Who is told of a transition, by the names states.yaml uses in `notify:`, and the message
they get: in the app, and by email as each user chose. Recipients are resolved through the
same access rules that decide who may open the project: nobody is told of a project they
cannot see. The actor is never told of their own step."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, false, or_, select, update

from workflow.audit.models import AuditEvent
from workflow.clock import CHINA
from workflow.lifecycle.hooks import (
    RECIPIENTS,
    TransitionContext,
    listener,
    recipients,
    vote_listener,
)
from workflow.lifecycle.operations import work_for
from workflow.notify.delivery import EMAILS, deliver, project_link
from workflow.notify.models import Notification
from workflow.org import access
from workflow.org.models import Role, User, UserRole


def _has_role(role: Role) -> ColumnElement[bool]:
    return User.role_rows.any(UserRole.role == role.value)


@recipients("submitter")
def submitter(ctx: TransitionContext) -> ColumnElement[bool]:
    """Who made the project's last submission (the 填报人 of the declaration or 自评表)."""
    submitted = ctx.project.submitted_by_id
    return User.id == submitted if submitted is not None else false()


@recipients("last_actor")
def last_actor(ctx: TransitionContext) -> ColumnElement[bool]:
    """Who moved the project last before this step (the one who handed it on)."""
    return User.id == ctx.last_actor_id if ctx.last_actor_id is not None else false()


@recipients("unit_heads")
def unit_heads(ctx: TransitionContext) -> ColumnElement[bool]:
    return and_(User.unit_id == ctx.project.unit_id, _has_role(Role.unit_head))


@recipients("unit_fillers")
def unit_fillers(ctx: TransitionContext) -> ColumnElement[bool]:
    return and_(User.unit_id == ctx.project.unit_id, _has_role(Role.filler))


@recipients("reviewers")
def reviewers(ctx: TransitionContext) -> ColumnElement[bool]:
    return _has_role(Role.reviewer)


@listener
def tell_people(ctx: TransitionContext, event: AuditEvent) -> None:
    """A 待办 about the project's previous state is done, whoever did it: it no longer counts as
    unread. Then everyone the transition names gets a message."""
    ctx.session.execute(
        update(Notification)
        .where(Notification.project_id == ctx.project.id, Notification.kind == "todo",
               Notification.read_at.is_(None))
        .values(read_at=ctx.now)
        .execution_options(synchronize_session=False)
    )  # fmt: skip
    if ctx.transition.notify:
        for user in _recipients(ctx):
            _tell(ctx, user)


@vote_listener
def vote_done(session, project, voter: User, event: AuditEvent, now) -> None:
    """A 会签 approval: the voter's part is done, so is their 待办 on the project; the others
    awaited keep theirs."""
    session.execute(
        update(Notification)
        .where(Notification.project_id == project.id, Notification.user_id == voter.id,
               Notification.kind == "todo", Notification.read_at.is_(None))
        .values(read_at=now)
        .execution_options(synchronize_session=False)
    )  # fmt: skip


def _recipients(ctx: TransitionContext) -> list[User]:
    named = or_(*(RECIPIENTS[name](ctx) for name in ctx.transition.notify))
    query = select(User).where(User.is_active.is_(True), User.id != ctx.actor.id, named)
    users = ctx.session.scalars(query.order_by(User.id)).all()
    return [u for u in users if access.can_view(u, ctx.project, ctx.spec)]


def _tell(ctx: TransitionContext, user: User) -> None:
    today = ctx.now.astimezone(CHINA).date()
    todo = "、".join(t.label for t in work_for(user, ctx.project, ctx.spec, today))
    title = f"{ctx.actor.display_name}已{ctx.transition.label}"
    title += f"，待您办理：{todo}" if todo else f"，项目现为「{ctx.spec.state_label(ctx.dest)}」"
    body = EMAILS.get_template("workflow.txt").render(
        user=user, actor=ctx.actor.display_name, label=ctx.transition.label,
        when=ctx.now.astimezone(CHINA).strftime("%Y年%m月%d日 %H:%M"), project=ctx.project,
        state=ctx.spec.state_label(ctx.dest), comment=ctx.comment, todo=todo,
        link=project_link(ctx.base_url, ctx.project),
    )  # fmt: skip
    deliver(ctx.session, user, kind="todo" if todo else "info", project=ctx.project,
            title=title, body=body, now=ctx.now)  # fmt: skip
