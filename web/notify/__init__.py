"""我的消息 and the administrator's outbox."""

from web.notify.routes import bp

blueprints = (bp,)
__all__ = ["blueprints"]
