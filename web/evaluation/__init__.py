"""绩效自评表: fill the self-evaluation, and take it away as XLSX."""

from web.evaluation.routes import bp

blueprints = (bp,)
