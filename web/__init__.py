"""The Flask application: HTTP, forms, templates and login around the `workflow` domain."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from workflow.audit.algorithms import configured_alg
from workflow.clock import Clock, SystemClock
from workflow.db import Database
from workflow.lifecycle.machine import Lifecycle, get_lifecycle, load_lifecycle
from workflow.text import CELL_MAX, COMMENT_MAX, NARRATIVE_MAX

csrf = CSRFProtect()
login_manager = LoginManager()


@dataclass
class Services:
    """What the routes need from outside Flask: database, lifecycle and clock."""

    db: Database
    lifecycle: Lifecycle
    clock: Clock


class IdConverter(IntegerConverter):
    """`<int:…>` in addresses: an id fits a database integer; a larger number is not found (404)
    instead of reaching the database, which cannot bind it."""

    def __init__(self, map, *args, **kwargs) -> None:
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


def light_label(light: str | None) -> str:
    """「红灯」 for "red"; 「未评」 for no light (绩效运行监控, workflow/monitoring/lights.py)."""
    from workflow.monitoring.lights import LIGHT_LABELS, Light

    return LIGHT_LABELS[Light(light)] if light in Light.__members__ else "未评"


def create_app(config=None, *, clock: Clock | None = None, database: Database | None = None):
    from web import (
        adjustment,
        admin,
        audit,
        auth,
        declaration,
        delegations,
        errors,
        evaluation,
        filters,
        imports,
        library,
        milestones,
        monitoring,
        notify,
        projects,
        security,
        throttle,
        workbench,
    )
    from web.config import Config

    configured_alg()  # AUDIT_HASH: unknown, or sm3 without SM3 here, stops the start
    app = Flask(__name__)
    app.url_map.converters["int"] = IdConverter  # before any route is added
    app.config.from_object(config or Config())
    if app.config.get("TRUST_PROXY"):
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)
    states_file = app.config.get("STATES_FILE")
    lifecycle = load_lifecycle(states_file) if states_file else get_lifecycle()
    app.extensions["jixiao"] = Services(
        db=database or Database(app.config["DATABASE_URL"]),
        lifecycle=lifecycle,
        clock=clock or SystemClock(),
    )
    csrf.init_app(app)
    auth.init_login(app, login_manager)
    app.register_blueprint(auth.bp)
    throttle.register(app)
    # One package per business area, as in workflow/: its routes, forms and templates.
    for area in (
        projects,
        declaration,
        milestones,
        evaluation,
        library,
        notify,
        admin,
        audit,
        delegations,
        monitoring,
        adjustment,
        imports,
    ):
        for blueprint in area.blueprints:
            app.register_blueprint(blueprint)
    workbench.register(app)
    errors.register(app)
    imports.register(app)  # after errors: its 413 page replaces theirs on the import page
    security.register(app)
    filters.register(app)
    app.jinja_env.globals["state_label"] = lifecycle.spec.state_label
    # 绩效运行监控 where the lifecycle file declares the 监控表's workflow (`workflows:`)
    app.jinja_env.globals["has_monitoring"] = "monitoring" in lifecycle.workflows
    app.jinja_env.globals["light_label"] = light_label
    # The longest text each kind of field takes, stated once (workflow/text.py): maxlength.
    app.jinja_env.globals["limits"] = {"narrative": NARRATIVE_MAX, "cell": CELL_MAX,
                                       "comment": COMMENT_MAX}  # fmt: skip
    return app
