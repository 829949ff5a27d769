"""节假日安排 pages of the 系统管理员: the years covered, a year's days (add, remove), and the
State Council's notice pasted, previewed and confirmed. Every route refuses anyone without the
admin role. Also, for every page: this process's copy of the calendar is compared with the
database at most every few minutes once today is past chinese-calendar's years
(workflow/holidays/loading.py), and `calendar_warning()` for the other admin pages' include."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from web.services import actor, db_session, lifecycle, now, uow
from workflow.clock import CHINA
from workflow.declaration.checks import MAX_YEAR, MIN_YEAR
from workflow.errors import InvalidInput
from workflow.holidays import coverage, loading, operations
from workflow.holidays.models import KIND_LABELS, NAME_MAX, CalendarYear
from workflow.holidays.notice import NOTICE_MAX, holiday_lines
from workflow.org.models import Role
from workflow.workdays import PACKAGE_FIRST_YEAR, PACKAGE_LAST_YEAR, package_days

bp = Blueprint("calendar", __name__, url_prefix="/admin/calendar", template_folder="templates")


class DayForm(FlaskForm):
    day = StringField("日期", render_kw={"type": "date"})
    kind = SelectField(
        "类别", choices=[SelectChoice(k, v) for k, v in KIND_LABELS.items()], validate_choice=False
    )
    name = StringField("节日名称", render_kw={"maxlength": NAME_MAX, "placeholder": "如 春节"})


class NoticeForm(FlaskForm):
    text = TextAreaField("通知正文", render_kw={"rows": 14, "maxlength": NOTICE_MAX})


@bp.before_request
def require_admin():
    if not actor().has_role(Role.admin):
        abort(403)


@bp.before_app_request
def keep_calendar_current():
    """Another node's edit reaches this one within minutes (no statement before 2027)."""
    moment = now()
    if loading.stale(today=_today(moment), now=moment):
        loading.refresh(db_session(), now=moment)


@bp.record_once
def _register_warning(state) -> None:
    state.app.jinja_env.globals["calendar_warning"] = calendar_warning


def calendar_warning() -> str | None:
    """The coverage warning for an admin page (one statement); None for anyone else."""
    if not current_user.is_authenticated or not actor().has_role(Role.admin):
        return None
    return coverage.coverage_warning(db_session(), _today(now()), lifecycle().spec.reminders)


@bp.route("")
def index():
    session = db_session()
    loading.refresh(session, now=now())
    cover = coverage.coverage(session, _today(now()), lifecycle().spec.reminders)
    return render_template(
        "admin/calendar.html", rows=coverage.year_rows(session, cover), cover=cover,
        warning=coverage.warning_of(cover), package_years=(PACKAGE_FIRST_YEAR, PACKAGE_LAST_YEAR),
    )  # fmt: skip


@bp.route("/<int:year>")
def year_page(year: int):
    return _year_page(year)


@bp.route("/<int:year>/days", methods=["POST"])
def add_day(year: int):
    form = DayForm()
    try:
        day = operations.add_day(uow(), day=form.day.data, kind=form.kind.data,
                                 name=form.name.data, actor=actor(), now=now())  # fmt: skip
    except InvalidInput as exc:
        return _year_page(year, day_form=form, problems=exc.problems), 422
    flash(f"已添加 {day.day.month}月{day.day.day}日（{day.kind_label}·{day.name}）", "success")
    return redirect(url_for("calendar.year_page", year=day.day.year))


@bp.route("/days/<int:day_id>/delete", methods=["POST"])
def remove_day(day_id: int):
    year = operations.remove_day(uow(), day_id, actor=actor(), now=now())
    flash("已删除该日期", "success")
    return redirect(url_for("calendar.year_page", year=year))


@bp.route("/<int:year>/notice", methods=["POST"])
def preview_notice(year: int):
    form = NoticeForm()
    try:
        preview = operations.preview_notice(db_session(), year, form.text.data or "")
    except InvalidInput as exc:
        return _year_page(year, notice_form=form, problems=exc.problems), 422
    return render_template(
        "admin/calendar_preview.html", year=year, preview=preview, form=form,
        lines=holiday_lines(preview.notice.days, year),
    )  # fmt: skip


@bp.route("/<int:year>/notice/confirm", methods=["POST"])
def confirm_notice(year: int):
    form = NoticeForm()
    try:
        plan = operations.confirm_notice(uow(), year=year, text=form.text.data or "",
                                         actor=actor(), now=now())  # fmt: skip
    except InvalidInput as exc:
        return _year_page(year, notice_form=form, problems=exc.problems), 422
    added, replaced = plan.count(operations.NEW), plan.count(operations.CHANGED)
    if added or replaced:
        replacing = f"，替换{replaced}天" if replaced else ""
        flash(f"已按通知保存{year}年节假日安排：新增{added}天{replacing}", "success")
    else:
        flash("通知中的日期均已在表中，未作修改", "success")
    return redirect(url_for("calendar.year_page", year=year))


def _year_page(year: int, *, day_form=None, notice_form=None, problems=()):
    if not MIN_YEAR <= year <= MAX_YEAR:
        abort(404)
    session = db_session()
    loading.refresh(session, now=now())
    cover = coverage.coverage(session, _today(now()), lifecycle().spec.reminders)
    fields: dict[str, list[str]] = {}
    for p in problems:
        fields.setdefault(p.field, []).append(p.message)
    return render_template(
        "admin/calendar_year.html", year=year, cover=cover, warning=coverage.warning_of(cover),
        record=session.get(CalendarYear, year),
        days=operations.year_days(session, year), package_days=package_days(year),
        day_form=day_form or DayForm(), notice_form=notice_form or NoticeForm(),
        field_problems=fields,
    )  # fmt: skip


def _today(moment):
    return moment.astimezone(CHINA).date()
