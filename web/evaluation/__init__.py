"""绩效自评表: fill the self-evaluation; print it, and take it away as PDF and XLSX."""

from web.evaluation.routes import bp

blueprints = (bp,)
