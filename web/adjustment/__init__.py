"""绩效目标调整: proposals, the yardstick's versions and the year's deadline."""

from web.adjustment.routes import bp

blueprints = (bp,)
__all__ = ["blueprints"]
