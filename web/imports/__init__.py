"""导入申报表: the forms units already have, read into drafts."""

from web.imports.routes import bp, register

blueprints = (bp,)
__all__ = ["blueprints", "register"]
