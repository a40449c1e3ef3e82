"""Reads the consent page's form the way a browser would submit it."""

from __future__ import annotations

from html.parser import HTMLParser


class ConsentForm(HTMLParser):
    """Collects the form's action and the fields a click on a button would send."""

    def __init__(self) -> None:
        super().__init__()
        self.action = ""
        self.fields: list[tuple[str, str]] = []
        self.buttons: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.action = found.get("action", "")
        elif tag == "input" and "name" in found:
            kind = found.get("type", "text")
            if kind == "hidden" or (kind in ("checkbox", "radio") and "checked" in found):
                self.fields.append((found["name"], found.get("value", "")))
        elif tag == "button" and "name" in found:
            self.buttons[found.get("value", "")] = found["name"]

    def submission(self, button: str) -> dict[str, list[str]]:
        """The form data sent by clicking the button with ``value=button``."""
        data: dict[str, list[str]] = {}
        for name, value in [*self.fields, (self.buttons[button], button)]:
            data.setdefault(name, []).append(value)
        return data


def read_form(html: str) -> ConsentForm:
    form = ConsentForm()
    form.feed(html)
    return form
