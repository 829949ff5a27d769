"""Every mapped class, imported once so that metadata and Alembic see the whole schema."""

from workflow.audit.models import AuditEvent
from workflow.db import Base
from workflow.declaration.models import Declaration
from workflow.evaluation.models import SelfEvaluation
from workflow.org.models import LoginFailure, Unit, User, UserRole
from workflow.projects.models import Project

__all__ = [
    "AuditEvent",
    "Base",
    "Declaration",
    "LoginFailure",
    "Project",
    "SelfEvaluation",
    "Unit",
    "User",
    "UserRole",
]
