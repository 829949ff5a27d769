"""The 三员 who keep the system: units, accounts, roles, the security policy, the scoring-template
rules and the holiday calendar (节假日安排)."""

from web.admin import calendar
from web.admin.routes import bp

blueprints = (bp, calendar.bp)
