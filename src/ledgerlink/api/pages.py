"""Small HTML pages for people in a browser (the home page, the way back from Xero)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

from starlette.requests import Request

_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:44rem;margin:3rem auto;padding:0 1rem;"
    "line-height:1.5}code{background:#f1f3f5;padding:.1rem .3rem;border-radius:3px}"
)


def wants_json(request: Request) -> bool:
    """True when the client asked for JSON rather than a page (a browser asks for HTML)."""
    accept = request.headers.get("accept", "").lower()
    return "json" in accept and "text/html" not in accept


def html_page(
    title: str,
    paragraphs: Sequence[str],
    links: Mapping[str, str] | None = None,
    commands: Sequence[str] = (),
) -> str:
    """A page with a heading, paragraphs of plain text, commands to copy, and links."""
    text = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    code = "".join(f"<pre><code>{escape(c)}</code></pre>" for c in commands)
    items = "".join(
        f'<li><a href="{escape(url)}">{escape(name)}</a></li>'
        for name, url in (links or {}).items()
    )
    listing = f"<ul>{items}</ul>" if items else ""
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}'
        f"</title><style>{_STYLE}</style></head><body><main><h1>{escape(title)}</h1>"
        f"{text}{code}{listing}</main></body></html>"
    )
