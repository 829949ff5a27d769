"""The web side of items with a workflow of their own (a 监控表, a 调整申请): every button of
their pages posts one step, and every step goes through `fire_item`."""

from __future__ import annotations

from flask import abort, flash

from web.errors import error_page
from web.forms import ActionForm, parse_version
from web.services import actor, base_url, lifecycle, now, uow
from workflow.lifecycle import items


def take_step(item, kind: items.Kind, trigger: str, *, said: str = ""):
    """Take the step a button posted; flash what happened (「监控表已提交：现为「待单位审核」」,
    then `said`). None when done, or the page that refuses a form gone stale. Every refusal
    of the step itself (not allowed, a guard, a conflict) is the domain's error page."""
    form = ActionForm()
    if not form.validate_on_submit():
        return error_page(400, "表单已失效，请刷新页面后重试")
    if len(trigger) > 64:
        abort(404)
    items.fire_item(
        uow(), item, trigger, kind=kind, actor=actor(), now=now(),
        comment=form.comment.data or "", expected_version=parse_version(form.version.data),
        lifecycle=lifecycle(), base_url=base_url(),
    )  # fmt: skip
    spec = items.workflow_of(kind, lifecycle()).spec
    step, state = spec.by_trigger[trigger].label, spec.state_label(item.state)
    flash(f"{kind.label}已{step}：现为「{state}」{said(item) if callable(said) else said}",
          "success")  # fmt: skip
    return None
