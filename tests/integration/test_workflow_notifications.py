"""Every transition of states.yaml tells exactly the people its `notify:` names — a 待办 to those
who can act next, a 通知 to the others — in the app and by email as each chose, with the comment;
nobody who cannot open the project, and never the person who acted. A transition that fails or
rolls back tells nobody."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from workflow.errors import Conflict
from workflow.lifecycle.machine import get_lifecycle
from workflow.lifecycle.operations import fire
from workflow.notify.delivery import EMAIL_FOOTER
from workflow.notify.models import Notification, OutboundEmail
from workflow.org import access
from workflow.org.models import Role
from workflow.projects.models import Project
from workflow.uow import UnitOfWork

SPEC = get_lifecycle().spec
BASE = "https://jx.czj.suzhou.example"

# trigger -> (who acts, {who is told: "todo" or "info"}), worked out from states.yaml by hand.
# F is the 填报人 who submitted, H and H2 the unit's heads, R1 and R2 finance reviewers.
EXPECTED = {
    "submit": ("F", {"H": "todo", "H2": "todo"}),
    "withdraw": ("F", {"H": "info", "H2": "info"}),
    "return_to_filler": ("H", {"F": "todo"}),
    "declare": ("H", {"R1": "todo", "R2": "todo", "F": "info"}),
    "approve": ("R1", {"F": "todo", "H": "todo", "H2": "todo"}),  # confirm and start
    "return_for_revision": ("R1", {"F": "todo", "H": "info", "H2": "info"}),
    "refuse": ("R1", {"F": "info", "H": "info", "H2": "info"}),
    "start_implementation": ("F", {}),
    "begin_evaluation": ("F", {}),
    "submit_evaluation": ("F", {"H": "todo", "H2": "todo"}),
    "return_evaluation_to_filler": ("H", {"F": "todo"}),
    "sign_evaluation": ("H", {"R1": "todo", "R2": "todo", "F": "info"}),
    "return_evaluation": ("R1", {"F": "todo", "H": "info", "H2": "info"}),
    "archive": ("R1", {"F": "info", "H": "info", "H2": "info"}),
}


def test_the_expectations_cover_every_transition_of_states_yaml():
    assert set(EXPECTED) == {t.trigger for t in SPEC.transitions}


@pytest.fixture
def cast(make, session):
    unit, other = make.unit("苏州市公安局"), make.unit("苏州市应急管理局")
    people = {
        "F": make.user(Role.filler, unit=unit, name="李明"),
        "F2": make.user(Role.filler, unit=unit, name="陈彤"),  # another filler: not told
        "H": make.user(Role.unit_head, unit=unit, name="郁海成"),
        "H2": make.user(Role.unit_head, unit=unit, name="毛华"),
        "R1": make.user(Role.reviewer, name="沈审核"),
        "R2": make.user(Role.reviewer, name="周复核"),
        "R3": make.user(Role.reviewer, name="离职审核人"),  # inactive: never told
        "A": make.user(Role.admin, name="管理员"),
        "OF": make.user(Role.filler, unit=other, name="王芳"),
        "OH": make.user(Role.unit_head, unit=other, name="陈刚"),
        "X": make.user(name="上一步经办人"),  # moved it last: not the actor
    }
    modes = {"F": ("li@gaj.example", "digest"), "H": ("yu@gaj.example", "each"),
             "H2": (None, "digest"), "R1": ("shen@czj.example", "digest"),
             "R2": ("zhou@czj.example", "off"), "OH": ("chen@yjj.example", "each")}  # fmt: skip
    for key, (address, mode) in modes.items():
        people[key].email, people[key].email_mode = address, mode
    people["R3"].is_active = False
    session.commit()
    return unit, people


def _fire(session, cast, trigger: str, make, clock):
    unit, people = cast
    t = SPEC.transition(trigger)
    project = make.project(unit, state=t.sources[0], creator=people["F"],
                           submitted_by=people["F"], last_by=people["X"])  # fmt: skip
    actor = people[EXPECTED[trigger][0]]
    comment = f"意见（{t.label}）：请核对第3行指标的目标值。" if t.comment_required else ""
    fire(UnitOfWork(session), project, trigger, actor=actor, now=clock.now(), comment=comment,
         base_url=BASE)  # fmt: skip
    return project, comment


@pytest.mark.parametrize("trigger", list(EXPECTED))
def test_each_transition_tells_exactly_whom_states_yaml_names(session, cast, make, clock, trigger):
    _, people = cast
    project, comment = _fire(session, cast, trigger, make, clock)
    key_of = {u.id: k for k, u in people.items()}
    notes = session.scalars(select(Notification).where(Notification.project_id == project.id))
    told = {key_of[n.user_id]: n for n in notes}
    _, expected = EXPECTED[trigger]
    assert {k: n.kind for k, n in told.items()} == expected
    mails = {m.to_addr: m for m in session.scalars(select(OutboundEmail))}
    actor = people[EXPECTED[trigger][0]]
    for key, note in told.items():
        user = people[key]
        assert access.can_view(user, project, SPEC)  # nobody hears of what they cannot open
        assert note.title.startswith(f"{actor.display_name}已{SPEC.transition(trigger).label}")
        assert project.name in note.body and f"{BASE}/projects/{project.id}" in note.body
        assert actor.display_name in note.body
        if comment:
            assert comment in note.body
        mailed_now = bool(user.email) and (
            user.email_mode == "each" or (note.kind == "todo" and user.email_mode != "off")
        )
        assert (user.email in mails) == mailed_now, key
        assert note.mail_pending == (bool(user.email) and user.email_mode == "digest"
                                     and note.kind == "info")  # fmt: skip
        if mailed_now:
            mail = mails[user.email]
            assert mail.body == note.body + EMAIL_FOOTER and project.name in mail.subject
            assert "请勿直接回复" in mail.body and "请勿直接回复" not in note.body
            assert mail.subject.startswith("【绩效管理】")
    assert len(mails) == sum(
        bool(people[k].email) and (people[k].email_mode == "each"
                                   or (kind == "todo" and people[k].email_mode != "off"))
        for k, kind in expected.items()
    )  # fmt: skip


def test_a_todo_is_done_for_everyone_once_someone_acts(session, cast, make, clock):
    """Both heads are asked to sign; one signs: the other's 待办 no longer counts as unread."""
    _, people = cast
    project, _ = _fire(session, cast, "submit", make, clock)
    fire(UnitOfWork(session), project, "declare", actor=people["H2"], now=clock.now())
    heads = session.scalars(
        select(Notification).where(Notification.project_id == project.id,
                                   Notification.user_id.in_([people["H"].id, people["H2"].id]))
    ).all()  # fmt: skip
    assert len(heads) == 2 and all(n.read_at == clock.now() for n in heads)
    reviewers = session.scalars(
        select(Notification).where(Notification.project_id == project.id,
                                   Notification.user_id == people["R1"].id)
    ).all()  # fmt: skip
    assert [(n.kind, n.read_at) for n in reviewers] == [("todo", None)]


def test_a_stale_or_rolled_back_transition_tells_nobody(session, cast, make, clock, monkeypatch):
    unit, people = cast
    project = make.project(unit, state="draft", creator=people["F"])
    with pytest.raises(Conflict):
        fire(UnitOfWork(session), project, "submit", actor=people["F"], now=clock.now(),
             expected_version=project.version - 1)  # fmt: skip
    assert session.scalars(select(Notification)).all() == []

    def database_fails():
        raise RuntimeError("the database went away at commit")

    uow = UnitOfWork(session)
    monkeypatch.setattr(uow.session, "commit", database_fails)
    with pytest.raises(RuntimeError):
        fire(uow, project, "submit", actor=people["F"], now=clock.now())
    monkeypatch.undo()
    session.expire_all()
    assert session.get(Project, project.id).state == "draft"
    assert session.scalars(select(Notification)).all() == []
    assert session.scalars(select(OutboundEmail)).all() == []


def test_a_digest_leaves_out_what_its_reader_may_no_longer_open(db, session, cast, make, clock):
    """A head hears by digest that the filler withdrew a project, then moves to another unit
    before the morning: the digest lists the rest of their news but not that project."""
    from workflow.notify.digest import send_digests

    unit, people = cast
    head = people["H2"]
    head.email, head.email_mode = "mao@gaj.example", "digest"
    session.commit()
    project, _ = _fire(session, cast, "withdraw", make, clock)
    head.unit_id = people["OF"].unit_id
    session.add(Notification(user_id=head.id, kind="info", title="系统将于周六维护", body="",
                             created_at=clock.now(), mail_pending=True))  # fmt: skip
    session.commit()
    assert send_digests(db, SPEC, now=clock.now(), base_url=BASE) == 1
    digest = session.scalar(select(OutboundEmail).where(OutboundEmail.to_addr == head.email))
    assert "系统将于周六维护" in digest.body and "共 1 条" in digest.body
    assert project.name not in digest.body and project.name not in digest.subject
    session.expire_all()
    assert not session.scalars(select(Notification).where(Notification.mail_pending)).all()
