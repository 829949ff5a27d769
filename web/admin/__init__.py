"""管理员: units, users and the scoring-template rules."""

from web.admin.routes import bp

blueprints = (bp,)
