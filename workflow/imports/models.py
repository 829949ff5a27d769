"""An imported file: which draft it became, who brought it, and the import report (what was read
from where, what found no place). A file is known by its content: importing it again into the
same unit gives back the draft it made, not a second one."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow.db import Base, UTCDateTime
from workflow.org.models import User
from workflow.projects.models import Project


class DeclarationImport(Base):
    __tablename__ = "declaration_imports"
    __table_args__ = (
        UniqueConstraint("unit_id", "sha256", name="uq_declaration_imports_unit_file"),
        Index("ix_declaration_imports_project_id", "project_id"),
        Index("ix_declaration_imports_imported_by_id", "imported_by_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    sha256: Mapped[str] = mapped_column(String(64))  # of the file's bytes
    filename: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(8))  # grid.KINDS
    # JSON: {"found": [[path, label, value, source, where]], "unplaced": [[where, text]],
    #        "notes": [sentence]}
    report: Mapped[str] = mapped_column(Text)
    imported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    imported_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)

    project: Mapped[Project] = relationship()
    imported_by: Mapped[User | None] = relationship()
