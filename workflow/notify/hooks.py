"""Who is told of a transition, by the names states.yaml uses in `notify:`, and the message
they get: in the app, and by email as each user chose. Recipients are resolved through the
same access rules that decide who may open the project: nobody is told of a project they
cannot see. The actor is never told of their own step."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, false, or_, select, update

from workflow.audit.models import AuditEvent
from workflow.clock import CHINA
from workflow.lifecycle import items
from workflow.lifecycle.hooks import (
    RECIPIENTS,
    TransitionContext,
    listener,
    recipients,
    vote_listener,
)
from workflow.lifecycle.operations import work_for
from workflow.lifecycle.spec import LifecycleSpec
from workflow.notify.delivery import DEFAULT_BASE_URL, EMAILS, deliver, project_link
from workflow.notify.models import Notification
from workflow.org import access
from workflow.org.delegation import delegates_of
from workflow.org.models import Role, User, UserRole


def _has_role(role: Role) -> ColumnElement[bool]:
    return User.role_rows.any(UserRole.role == role.value)


# The rules below serve every workflow: they read the project of what moved, and who submitted
# and acted last on what moved (the project, a 监控表, a 调整申请).
EVERY_SUBJECT = ("*",)


@recipients("submitter", subjects=EVERY_SUBJECT)
def submitter(ctx: TransitionContext) -> ColumnElement[bool]:
    """Who made the last submission of what moved (the 填报人 of the declaration, 自评表 or
    监控表)."""
    submitted = ctx.moved.submitted_by_id
    return User.id == submitted if submitted is not None else false()


@recipients("last_actor", subjects=EVERY_SUBJECT)
def last_actor(ctx: TransitionContext) -> ColumnElement[bool]:
    """Who moved the project last before this step (the one who handed it on)."""
    return User.id == ctx.last_actor_id if ctx.last_actor_id is not None else false()


@recipients("unit_heads", subjects=EVERY_SUBJECT)
def unit_heads(ctx: TransitionContext) -> ColumnElement[bool]:
    return and_(User.unit_id == ctx.project.unit_id, _has_role(Role.unit_head))


@recipients("unit_fillers", subjects=EVERY_SUBJECT)
def unit_fillers(ctx: TransitionContext) -> ColumnElement[bool]:
    return and_(User.unit_id == ctx.project.unit_id, _has_role(Role.filler))


@recipients("reviewers", subjects=EVERY_SUBJECT)
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
    told = _recipients(ctx) if ctx.transition.notify else []
    for user in told:
        _tell(ctx, user)
    _tell_delegation(ctx, told)


def _tell_delegation(ctx: TransitionContext, told: list[User]) -> None:
    """委托: both are told. Whoever stands in today for someone told gets the message too (it
    names whose work it is); a step done in someone's name is told to them."""
    today = ctx.now.astimezone(CHINA).date()
    seen = {u.id for u in told} | {ctx.actor.id}
    principal = ctx.principal
    if principal is not None and principal.id not in seen and principal.is_active:
        seen.add(principal.id)
        _tell(ctx, principal)
    if not told:
        return
    standing_in = delegates_of(ctx.session, [u.id for u in told], today)
    for user in told:
        for delegate in standing_in.get(user.id, []):
            if delegate.id not in seen and access.can_view(delegate, ctx.project, ctx.spec):
                seen.add(delegate.id)
                _tell(ctx, delegate, behalf=user)


@vote_listener
def vote_done(session, project, voter: User, event: AuditEvent, now, principal=None) -> None:
    """A 会签 approval: the voter's part is done, so is their 待办 on the project (and, voting
    as a delegate, the colleague's); the others awaited keep theirs."""
    done = [voter.id] + ([principal.id] if principal is not None else [])
    session.execute(
        update(Notification)
        .where(Notification.project_id == project.id, Notification.user_id.in_(done),
               Notification.kind == "todo", Notification.read_at.is_(None))
        .values(read_at=now)
        .execution_options(synchronize_session=False)
    )  # fmt: skip


def _recipients(ctx: TransitionContext) -> list[User]:
    named = or_(*(RECIPIENTS[name](ctx) for name in ctx.transition.notify))
    query = select(User).where(User.is_active.is_(True), User.id != ctx.actor.id, named)
    users = ctx.session.scalars(query.order_by(User.id)).all()
    return [u for u in users if access.can_view(u, ctx.project, ctx.spec)]


def _tell(ctx: TransitionContext, user: User, behalf: User | None = None) -> None:
    """One message; `behalf`: the colleague `user` stands in for, whose work it names."""
    today = ctx.now.astimezone(CHINA).date()
    work = work_for(behalf or user, ctx.project, ctx.spec, today)
    if behalf is not None:  # what the stand-in may do in their name (the roles both hold)
        work = [t for t in work if access.may_fire_for(user, behalf, ctx.project, t, ctx.spec)]
    todo = "、".join(t.label for t in work)
    title = f"{ctx.actor_name}已{ctx.transition.label}"
    state = ctx.spec.state_label(ctx.dest)
    if behalf is not None:
        name = behalf.display_name
        title += f"，待您代{name}办理：{todo}" if todo else f"（代{name}知悉），现为「{state}」"
    else:
        title += f"，待您办理：{todo}" if todo else f"，项目现为「{state}」"
    body = EMAILS.get_template("workflow.txt").render(
        user=user, actor=ctx.actor_name, label=ctx.transition.label, behalf=behalf,
        when=ctx.now.astimezone(CHINA).strftime("%Y年%m月%d日 %H:%M"), project=ctx.project,
        state=ctx.spec.state_label(ctx.dest), comment=ctx.comment, todo=todo,
        link=project_link(ctx.base_url, ctx.project),
    )  # fmt: skip
    deliver(ctx.session, user, kind="todo" if todo else "info", project=ctx.project,
            title=title, body=body, now=ctx.now)  # fmt: skip


@items.item_listener
def tell_item_people(ctx: TransitionContext, kind: items.Kind, event: AuditEvent,
                     spec: LifecycleSpec) -> None:  # fmt: skip
    """A step of a 监控表 (or another item with a workflow): the 待办 about the item are done,
    whoever acted; everyone the step names who may open the item is told, with what is now
    theirs to do."""
    item = ctx.item
    ctx.session.execute(
        update(Notification)
        .where(Notification.project_id == item.project_id, Notification.kind == "todo",
               Notification.topic == items.topic(kind, item),
               Notification.read_at.is_(None))
        .values(read_at=ctx.now)
        .execution_options(synchronize_session=False)
    )  # fmt: skip
    if not ctx.transition.notify:
        return
    named = or_(*(RECIPIENTS[name](ctx) for name in ctx.transition.notify))
    query = select(User).where(User.is_active.is_(True), User.id != ctx.actor.id, named)
    for user in ctx.session.scalars(query.order_by(User.id)):
        if not items.can_view(user, item, kind, spec):
            continue
        work = [t for t in ctx.spec.todo_transitions(item.state) if items.may_fire(user, item, t)]
        _tell_of_item(ctx.session, user, item, kind, ctx, "、".join(t.label for t in work))


def _tell_of_item(session, user: User, item, kind: items.Kind, ctx: TransitionContext,
                  todo: str) -> None:  # fmt: skip
    """One message of a step on an item: a 待办 when there is something for `user` to do."""
    state = ctx.spec.state_label(item.state)
    title = f"{ctx.actor_name}已{ctx.transition.label}{kind.label}"
    title += f"，待您办理：{todo}" if todo else f"，现为「{state}」"
    link = f"{(ctx.base_url or DEFAULT_BASE_URL).rstrip('/')}{kind.path(item)}"
    body = EMAILS.get_template("item.txt").render(
        user=user, actor=ctx.actor_name, label=ctx.transition.label, kind=kind.label,
        when=ctx.now.astimezone(CHINA).strftime("%Y年%m月%d日 %H:%M"), project=ctx.project,
        state=state, comment=ctx.comment, todo=todo, link=link,
    )  # fmt: skip
    deliver(session, user, kind="todo" if todo else "info", project=ctx.project, title=title,
            body=body, now=ctx.now, topic=items.topic(kind, item))  # fmt: skip
