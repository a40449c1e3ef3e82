"""The consent page (`/identity/connect/authorize`) as HTML, escaped by hand."""

from collections.abc import Mapping
from html import escape

from xero_sandbox.identity.scopes import SCOPE_DESCRIPTIONS

_STYLE = """
body{font-family:system-ui,sans-serif;background:#f4f6f8;margin:0}
main{max-width:32rem;margin:3rem auto;background:#fff;padding:2rem;border-radius:8px;
box-shadow:0 1px 4px rgba(0,0,0,.15)}
h1{font-size:1.3rem}ul{padding-left:1.2rem}li{margin:.2rem 0}
.orgs label{display:block;margin:.3rem 0}.error{color:#b00020}
button{padding:.6rem 1.2rem;margin-right:.5rem;font-size:1rem;border-radius:4px}
button[value=allow]{background:#13b5ea;color:#fff;border:0}
"""


def consent_page(
    app_name: str,
    scopes: list[str],
    organisations: Mapping[str, str],
    fields: Mapping[str, str],
    error: str | None = None,
    *,
    several: bool = False,
) -> str:
    """The page asking the user to let `app_name` reach an organisation.

    As on Xero's, the user picks one organisation (the first is preselected); with
    `several`, each is a ticked checkbox and any number may be connected at once.
    """
    scope_items = "".join(
        f"<li><strong>{escape(s)}</strong>: {escape(SCOPE_DESCRIPTIONS[s])}</li>" for s in scopes
    )
    if len(organisations) == 1:
        ((tenant_id, name),) = organisations.items()
        org_block = (
            f"<p>Organisation: <strong>{escape(name)}</strong></p>"
            f'<input type="hidden" name="tenant" value="{escape(tenant_id)}">'
        )
    else:
        kind = "checkbox" if several else "radio"
        prompt = "Choose the organisations to connect:" if several else "Choose an organisation:"
        org_block = f"<p>{prompt}</p>" + "".join(
            f'<label><input type="{kind}" name="tenant" value="{escape(tenant_id)}"'
            f"{' checked' if several or index == 0 else ''}> {escape(name)}</label>"
            for index, (tenant_id, name) in enumerate(organisations.items())
        )
    hidden = "".join(
        f'<input type="hidden" name="{escape(key)}" value="{escape(value)}">'
        for key, value in fields.items()
    )
    error_block = f'<p class="error" role="alert">{escape(error)}</p>' if error else ""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Connect {escape(app_name)} to Xero</title>
<style>{_STYLE}</style></head>
<body><main>
<h1><span class="app-name">{escape(app_name)}</span> wants to access your Xero data</h1>
{error_block}
<p>{escape(app_name)} will be able to:</p>
<ul class="scopes">{scope_items}</ul>
<form method="post" action="/identity/connect/authorize">
{hidden}
<div class="orgs">{org_block}</div>
<p><button type="submit" name="action" value="allow">Allow access</button>
<button type="submit" name="action" value="cancel">Cancel</button></p>
</form>
</main></body></html>
"""


def error_page(title: str, message: str) -> str:
    """The page shown when the request cannot be redirected back (bad client or redirect)."""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>
<style>{_STYLE}</style></head>
<body><main><h1>{escape(title)}</h1><p class="error" role="alert">{escape(message)}</p>
</main></body></html>
"""
