"""Who may see and touch what: one place for the scope rules; templates and routes ask here."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, and_, false, inspect, or_, select, true

from workflow.errors import NotFound
from workflow.lifecycle.spec import LifecycleSpec, TransitionSpec
from workflow.org.models import UNIT_ROLES, ReviewerUnit, Role, Unit, User
from workflow.projects.models import Project


def can_view(user: User, project: Project, spec: LifecycleSpec) -> bool:
    """Unit roles see their own unit; reviewers see what has reached finance. The 三员 (the
    administrators and the auditor) keep the system and see no project: the auditor reads
    what was done to projects in the audit trail, not the projects themselves."""
    if not user.is_active:
        return False
    roles = user.roles
    if roles & UNIT_ROLES and user.unit_id == project.unit_id:
        return True
    state = spec.states.get(project.state)
    return (
        Role.reviewer in roles
        and state is not None
        and state.finance_visible
        and reviews_unit(user, project.unit)
    )


def reviews_unit(user: User, unit: Unit) -> bool:
    """Whether a reviewer handles this unit's projects: it is assigned to them, or to nobody
    (a unit without an assignment falls to every reviewer, so none is orphaned)."""
    held = assignments(user)
    reviewers = held.get(unit.id) if held is not None else unit.reviewer_ids
    return not reviewers or user.id in reviewers


def assignments(user: User) -> dict[int, frozenset[int]] | None:
    """Every unit assigned to someone, with its reviewers: read once a transaction of the
    user's session, in one small statement, so that neither a page of projects of twenty
    units nor a step told to fifty reviewers asks again. None for a user in no session."""
    state = inspect(user, raiseerr=False)  # None for a stand-in (bench, tests): not mapped
    session = state.session if state is not None else None
    if session is None:
        return None
    tx = session.get_transaction()
    held = session.info.get("review_assignments")
    if held is not None and held[0] is tx and tx is not None:
        return held[1]
    found: dict[int, set[int]] = {}
    for unit_id, user_id in session.execute(select(ReviewerUnit.unit_id, ReviewerUnit.user_id)):
        found.setdefault(unit_id, set()).add(user_id)
    result = {unit_id: frozenset(ids) for unit_id, ids in found.items()}
    session.info["review_assignments"] = (session.get_transaction(), result)
    return result


def _reviewed_by(user: User) -> ColumnElement[bool]:
    """`reviews_unit` in SQL, for a project's unit. No assignment at all, the common case, is
    no condition; otherwise the reviewer's units and those assigned to someone are lists, which
    keep the project lists on their indexes."""
    held = assignments(user)
    if held is None:  # not in a session: say it in SQL
        mine = select(ReviewerUnit.unit_id).where(ReviewerUnit.user_id == user.id)
        anyone = select(ReviewerUnit.unit_id).where(ReviewerUnit.unit_id == Project.unit_id)
        return or_(Project.unit_id.in_(mine), ~anyone.exists())
    if not held:
        return true()
    mine = sorted(u for u, ids in held.items() if user.id in ids)
    return or_(Project.unit_id.in_(mine), Project.unit_id.not_in(sorted(held)))


def require_view(user: User, project: Project | None, spec: LifecycleSpec) -> Project:
    """The project, or NotFound when it does not exist or the user may not know it exists."""
    if project is None or not can_view(user, project, spec):
        raise NotFound()
    return project


def visible_projects(user: User, spec: LifecycleSpec) -> Select[tuple[Project]]:
    """A query for the projects `user` may see, with the same rules as `can_view`."""
    query = select(Project)
    roles = user.roles
    if not user.is_active:
        return query.where(false())
    clauses = []
    if roles & UNIT_ROLES and user.unit_id is not None:
        clauses.append(Project.unit_id == user.unit_id)
    if Role.reviewer in roles:
        visible = [name for name, s in spec.states.items() if s.finance_visible]
        clauses.append(and_(Project.state.in_(visible), _reviewed_by(user)))
    return query.where(or_(*clauses)) if clauses else query.where(false())


def may_fire(
    user: User, project: Project, transition: TransitionSpec, roles: frozenset[Role] | None = None
) -> bool:
    """Role check for one transition: a unit role acts only for its own unit, a reviewer only
    for the units they review. `roles`: only these of the user's (a delegate's share)."""
    return user.is_active and any(
        role in transition.roles
        and (role not in UNIT_ROLES or user.unit_id == project.unit_id)
        and (role is not Role.reviewer or reviews_unit(user, project.unit))
        for role in (user.roles if roles is None else user.roles & roles)
    )


def may_fire_for(
    actor: User, principal: User, project: Project, transition: TransitionSpec,
    spec: LifecycleSpec,
) -> bool:  # fmt: skip
    """委托: whether `actor`, as delegate of `principal` (the caller has found the delegation
    running), may fire the transition in their name: the delegator may, in a role both hold,
    and the delegate may open the project themselves. Nothing the delegate could not see."""
    from workflow.org.delegation import shared_roles

    return (
        actor.is_active
        and principal.is_active
        and can_view(actor, project, spec)
        and may_fire(principal, project, transition, shared_roles(principal, actor))
    )


def can_edit_declaration(user: User, project: Project, spec: LifecycleSpec) -> bool:
    state = spec.states.get(project.state)
    return _is_unit_filler(user, project) and state is not None and state.editable


def can_edit_evaluation(user: User, project: Project, spec: LifecycleSpec) -> bool:
    state = spec.states.get(project.state)
    return _is_unit_filler(user, project) and state is not None and state.evaluation_editable


def can_create_project(user: User) -> bool:
    return user.is_active and user.has_role(Role.filler) and user.unit_id is not None


def _is_unit_filler(user: User, project: Project) -> bool:
    return user.is_active and user.has_role(Role.filler) and user.unit_id == project.unit_id


def can_edit_milestones(user: User, project: Project) -> bool:
    """The unit corrects and confirms the proposed milestones of an approved project, once."""
    return (
        user.is_active
        and project.state == "approved"
        and project.milestones_confirmed_at is None
        and user.unit_id == project.unit_id
        and bool(user.roles & UNIT_ROLES)
    )


def can_record_milestones(user: User, project: Project) -> bool:
    """Once confirmed, the unit records actual dates and payments, archived projects included
    (a 质保金 is released years after the archive)."""
    return (
        user.is_active
        and project.milestones_confirmed_at is not None
        and user.unit_id == project.unit_id
        and bool(user.roles & UNIT_ROLES)
    )


def can_record_milestone(user: User, project: Project, milestone, spec: LifecycleSpec) -> bool:
    """One milestone: once the project's lifecycle has ended (archived: no transition out), only
    what is still outstanding may be recorded (a 质保金 release); what was recorded is final."""
    if not can_record_milestones(user, project) or milestone.project_id != project.id:
        return False
    return milestone.actual_date is None or bool(spec.transitions_from(project.state))


def can_copy_project(user: User, project: Project) -> bool:
    """「复制为新年度申报」: a 填报人 of the project's own unit."""
    return can_create_project(user) and user.unit_id == project.unit_id
