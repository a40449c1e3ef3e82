"""What the commands share: the console and the container they run on."""

from rich.console import Console

console = Console()
