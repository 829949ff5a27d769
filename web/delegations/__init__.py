"""委托办理: handing one's work to a colleague while away."""

from web.delegations.routes import bp

blueprints = (bp,)
__all__ = ["blueprints"]
