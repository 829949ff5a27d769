"""What a browser would post from a page's form: enough HTML parsing for the load test to save
a form as it is shown (no dependency on locust, so it can be tried on its own)."""

from __future__ import annotations

from html.parser import HTMLParser


class FormFields(HTMLParser):
    """The fields a browser would post from the page's form with a `version` field (inputs,
    checked boxes, textareas, each select's chosen option)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[list[tuple[str, str]]] = []
        self._form: list[tuple[str, str]] | None = None
        self._textarea: str | None = None
        self._text: list[str] = []
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._option: tuple[str | None, bool] | None = None
        self._option_text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = []
            self.forms.append(self._form)
        if self._form is None:
            return
        if tag == "input" and a.get("name") and not a.get("disabled"):
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self._form.append((a["name"], a.get("value") or ("on" if kind == "checkbox" else "")))
        elif tag == "textarea" and a.get("name"):
            self._textarea, self._text = a["name"], []
        elif tag == "select" and a.get("name"):
            self._select, self._options = a["name"], []
        elif tag == "option" and self._select is not None:
            self._option, self._option_text = (a.get("value"), "selected" in a), []

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)
        if self._option is not None:
            self._option_text.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            self._form.append((self._textarea, "".join(self._text).removeprefix("\n")))
            self._textarea = None
        elif tag == "option" and self._option is not None:
            value, chosen = self._option
            self._options.append(
                (value if value is not None else "".join(self._option_text), chosen)
            )
            self._option = None
        elif tag == "select" and self._select is not None and self._form is not None:
            chosen = [v for v, s in self._options if s] or [v for v, _ in self._options[:1]]
            if chosen:
                self._form.append((self._select, chosen[0]))
            self._select = None


def form_with_version(page: str) -> list[tuple[str, str]] | None:
    parser = FormFields()
    parser.feed(page)
    forms = [f for f in parser.forms if any(name == "version" for name, _ in f)]
    return max(forms, key=len) if forms else None
