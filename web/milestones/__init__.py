"""里程碑: check and confirm the proposed milestones, then record what happened."""

from web.milestones.routes import bp

blueprints = (bp,)
