"""The markup a form puts beside a field with problems: what users typed, echoed in a
message, is escaped; a field without problems gets nothing."""

from __future__ import annotations

from collections import namedtuple

from web.forms import problems_by_field

Problem = namedtuple("Problem", "field message")


def test_messages_are_escaped_and_only_wrong_fields_are_marked():
    problems = problems_by_field(
        [
            Problem("name", "「<script>x</script>」过长"),
            Problem("name", "必填"),
            Problem("year", "应为年份"),
        ]
    )
    assert problems.invalid("name") == ' class="invalid" aria-invalid="true"'
    assert problems.invalid("summary") == ""
    assert problems.messages("name") == (
        '<p class="problem">「&lt;script&gt;x&lt;/script&gt;」过长</p><p class="problem">必填</p>'
    )
    assert problems.messages("summary") == ""
