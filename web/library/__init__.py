"""绩效指标库: read by units and finance, kept by the 系统管理员, 核心指标 marked by finance."""

from web.library.routes import bp

blueprints = (bp,)
__all__ = ["blueprints"]
