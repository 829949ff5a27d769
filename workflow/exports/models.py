"""Rendered documents: a PDF of a project (or of a 绩效运行监控 round), made once per version of
what it shows."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from workflow.db import Base, UTCDateTime
from workflow.monitoring.models import MonitoringRound  # noqa: F401 - round_id's table
from workflow.projects.models import Project  # noqa: F401 - the table project_id refers to

#: What a project's PDF is, and the Chinese name the pages give it.
KINDS = {"declaration": "绩效目标申报表", "evaluation": "绩效自评表", "dossier": "项目档案",
         "monitoring_round": "绩效运行监控报告"}  # fmt: skip
#: The kinds whose document belongs to a monitoring round rather than a project.
ROUND_KINDS = frozenset({"monitoring_round"})


class RenderedDocument(Base):
    """One version of a project's PDF (生成的文档): a job while `pending` (its print HTML waits
    for the renderer), the PDF once `ready`, or `failed` after its last attempt (with the
    Chinese reason). `sha256` is the hash of the HTML: a change to anything the PDF shows is a
    new row, so (project, kind, sha256) is unique and two requests make one job. A round's
    report belongs to the round instead (`round_id`, `project_id` None): its owner, as the
    project is a project's document's.

    `available_at` is when a renderer may take the job: when asked; while one renders it, the
    end of its lease (a renderer that dies lets the job go again then); after a failure, the
    retry time. `claim` names the renderer holding the lease: only it records the outcome."""

    __tablename__ = "rendered_documents"
    __table_args__ = (
        UniqueConstraint("project_id", "kind", "sha256"),  # also the project's index
        UniqueConstraint("round_id", "kind", "sha256"),  # also the round's
        CheckConstraint("(project_id IS NULL) <> (round_id IS NULL)", name="one_owner"),
        Index("ix_rendered_documents_status_available_at", "status", "available_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"))
    round_id: Mapped[int | None] = mapped_column(ForeignKey("monitoring_rounds.id"))
    kind: Mapped[str] = mapped_column(String(16))  # see KINDS
    sha256: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))  # pending, ready, failed
    # Large: loaded only when asked for (the renderer reads html, a download reads pdf).
    html: Mapped[str | None] = mapped_column(Text, deferred=True)  # cleared once ready
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)  # the last failure, in Chinese
    claim: Mapped[str | None] = mapped_column(String(32))
    available_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    requested_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    rendered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
