"""How `--help` shows options: a flag (`--all`, `--once`, `--help`) takes no value, so no
type is shown beside it; other options keep theirs (`<str>`, `<float>`)."""

from typing import Any

from typer.core import TyperOption

_typed = TyperOption.display_type_rich


def _display_type(self: TyperOption, ctx: Any) -> str | None:
    if self.is_flag:
        return None
    return _typed(self, ctx)


def install() -> None:
    """Show flags without a type in every command's help."""
    TyperOption.display_type_rich = _display_type  # type: ignore[method-assign]
