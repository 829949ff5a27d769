"""The project page runs the same statements whatever the size of what it shows: 5 or 50
milestones, history entries, messages and 分解目标 rows, on every section."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.web.conftest import Browser, StatementCounter, text_of
from workflow.audit import chain
from workflow.declaration.models import Declaration, Indicator
from workflow.milestones.models import Milestone
from workflow.org.models import Role

SECTIONS = ["", "?tab=declaration", "?tab=milestones", "?tab=evaluation", "?tab=history"]


def _project_of_size(make, session, clock, n: int):
    project, filler = make.evaluating()
    declaration = session.get(Declaration, project.id)
    for i in range(n):
        declaration.indicators.append(
            Indicator(
                position=10 + i,
                category="产出",
                sub_projects='["平台建设"]',
                name=f"指标{i}",
                target="=1个",
                explanation="",
                evidence="",
            )
        )
        session.add(
            Milestone(
                project_id=project.id,
                position=i,
                kind="payment",
                title=f"付款{i}",
                due=dt.date(2026, 1, 1) + dt.timedelta(days=i),
            )
        )
        chain.append(
            session,
            now=clock.now(),
            actor=filler,
            action="save_evaluation",
            label="保存自评表",
            project_id=project.id,
        )
    session.commit()
    return project


@pytest.mark.parametrize("section", SECTIONS)
def test_a_section_runs_as_many_statements_for_fifty_rows_as_for_five(
    app, db, make, session, clock, section
):
    reviewer = make.user(Role.reviewer)
    counts = []
    for n in (5, 50):
        project = _project_of_size(make, session, clock, n)
        b = Browser(app.test_client())
        b.login(reviewer)
        with StatementCounter(db) as counter:
            response = b.get(f"/projects/{project.id}{section}")
        assert response.status_code == 200 and project.name in text_of(response)
        counts.append(counter.count)
    assert counts[0] == counts[1], (section, counts)
