"""安全审计员: the audit trail and the login log, read and exported; nothing here changes."""

from web.audit.routes import bp

blueprints = (bp,)
__all__ = ["blueprints"]
