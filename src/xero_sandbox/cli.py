"""The `xero-sandbox` command."""


def main() -> None:
    raise SystemExit("xero-sandbox: not built yet")
