"""绩效目标申报表: create a project, fill, print, export and copy its declaration."""

from web.declaration.routes import bp

blueprints = (bp,)
