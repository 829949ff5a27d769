"""绩效运行监控: rounds, the 监控表 and their workflow."""

from web.monitoring.routes import bp

blueprints = (bp,)
__all__ = ["blueprints"]
