"""项目: the list, the project page with its actions and history, and the dossier PDF."""

from web.projects import dossier
from web.projects.routes import bp

blueprints = (bp, dossier.bp)
