"""Deliberate bugs in the exactly-once safeguards, each run against the tests that claim it.

Copies the repository (tracked and new files, not ignored ones) to a temporary folder, runs
the claiming tests there unchanged, then applies each mutant as an exact text substitution,
runs its tests and puts the text back. A mutant whose tests still pass survived: the
safeguard is not proven. Exits non-zero when any survives (or a substitution no longer
finds its text). Run with ``make mutants``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXPORT_TESTS = ("tests/integration/sync/test_engine_exactly_once.py",)
REFRESH_TESTS = ("tests/client/test_refresh.py", "tests/client/sandbox/test_token_refresh.py")
# Across processes the row lock is what serialises refreshes: PostgreSQL shows it (on SQLite
# BEGIN IMMEDIATE excludes other writers anyway), so this one needs LEDGERLINK_TEST_POSTGRES_URL.
OVERLAP_TESTS = ("tests/integration/sync/test_worker_overlap.py",)
# The fence of the worker's other steps: files and notes, and the inbound pass.
ATTACHMENT_OVERLAP_TESTS = ("tests/integration/sync/test_attachments_overlap.py",)
STEP_OVERLAP_TESTS = (
    *ATTACHMENT_OVERLAP_TESTS,
    "tests/integration/inbound/test_inbound_overlap.py",
)
PROCESS_REFRESH_TESTS = (
    "tests/integration/connect/test_processes.py::"
    "test_eight_processes_refresh_single_flight_with_no_invalid_grant",
)


@dataclass(frozen=True)
class Mutant:
    """One deliberate bug: ``old`` replaced by ``new`` in ``path``."""

    name: str
    path: str
    old: str
    new: str
    tests: tuple[str, ...]


MUTANTS = (
    Mutant(
        "random-batch-key",
        "src/ledgerlink/sync/export/keys.py",
        'return f"ll-{kind}-{action}-{hashlib.sha256(text.encode()).hexdigest()[:40]}"',
        "return f\"ll-{kind}-{action}-{__import__('uuid').uuid4().hex}\"",
        EXPORT_TESTS,
    ),
    Mutant(
        "no-lookup-before-resend",
        "src/ledgerlink/sync/export/document_steps.py",
        "looked: Reconciled = await reconcile(p, kind, steps[Action.LOOK_UP])",
        "looked = Reconciled(remaining=steps[Action.LOOK_UP])",
        EXPORT_TESTS,
    ),
    Mutant(
        "failed-lookup-taken-for-not-found",
        "src/ledgerlink/sync/export/lookup_steps.py",
        "            ]\n        )\n        return Reconciled()\n",
        "            ]\n        )\n        return Reconciled(remaining=jobs)\n",
        EXPORT_TESTS,
    ),
    Mutant(
        "unanswered-documents-batched-with-new-ones",
        "src/ledgerlink/sync/export/plan.py",
        "for jobs in (fresh, *groups.values()):",
        "for jobs in ([*fresh, *unfound],):",
        EXPORT_TESTS,
    ),
    Mutant(
        "lost-lease-taken-for-held",
        "src/ledgerlink/store/outbox.py",
        "        return rowcount(result) == 1\n\n    def release_lease",
        "        return True\n\n    def release_lease",
        (*OVERLAP_TESTS, *STEP_OVERLAP_TESTS),
    ),
    Mutant(
        "files-sent-unguarded",
        "src/ledgerlink/sync/export/attachments.py",
        "client.guard_writes(self._leases.guard(company_id))",
        "client.guard_writes(None)",
        ATTACHMENT_OVERLAP_TESTS,
    ),
    Mutant(
        "step-results-recorded-unfenced",
        "src/ledgerlink/sync/company_leases.py",
        "return self._uow_factory().before_commit(self.renewer(company_id))",
        "return self._uow_factory()",
        STEP_OVERLAP_TESTS,
    ),
    Mutant(
        "commit-skips-its-checks",
        "src/ledgerlink/store/uow.py",
        "            for check in self._before_commit:\n                check(session)\n",
        "",
        STEP_OVERLAP_TESTS,
    ),
    Mutant(
        "lease-held-by-the-name-alone",
        "src/ledgerlink/sync/company_leases.py",
        'return f"{name}{INSTANCE_MARK}{secrets.token_hex(4)}"',
        "return name",
        OVERLAP_TESTS,
    ),
    Mutant(
        "refresh-lock-is-a-no-op",
        "src/xero_client/_auth.py",
        "async with self._store.lock():",
        "async with __import__('contextlib').nullcontext():",
        REFRESH_TESTS,
    ),
    Mutant(
        "no-already-refreshed-recheck",
        "src/xero_client/_auth.py",
        "if current.access_token != stale and fresh:",
        "if False:",
        REFRESH_TESTS,
    ),
    Mutant(
        "refresh-row-lock-is-a-no-op",
        "src/ledgerlink/store/xero_tokens.py",
        "return self._repository(session).lock(self.company_id)",
        "return True",
        PROCESS_REFRESH_TESTS,
    ),
)


class MutantError(Exception):
    """The run cannot say anything: a substitution or a test run went wrong."""


def copy_repository(target: Path) -> None:
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


def substitute(path: Path, old: str, new: str) -> str:
    """Replace the one occurrence of ``old``; returns the original text."""
    text = path.read_text()
    found = text.count(old)
    if found != 1:
        raise MutantError(f"{path}: expected the text once, found it {found} times: {old!r}")
    path.write_text(text.replace(old, new))
    return text


def run_tests(copy: Path, tests: tuple[str, ...]) -> bool:
    """True when the tests pass; raises when they could not run."""
    env = {**os.environ, "PYTHONPATH": f"{copy / 'src'}{os.pathsep}{copy}"}
    command = [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:randomly"]
    command += ["-p", "no:cacheprovider", *tests]
    done = subprocess.run(command, cwd=copy, env=env, capture_output=True, text=True)
    if done.returncode not in (0, 1):
        raise MutantError(f"pytest exited {done.returncode}:\n{done.stdout[-3000:]}{done.stderr}")
    return done.returncode == 0


def check_imports_from(copy: Path) -> None:
    env = {**os.environ, "PYTHONPATH": f"{copy / 'src'}{os.pathsep}{copy}"}
    probe = "import ledgerlink, xero_client; print(ledgerlink.__file__, xero_client.__file__)"
    where = subprocess.run(
        [sys.executable, "-c", probe], cwd=copy, env=env, capture_output=True, text=True
    )
    if where.returncode != 0 or where.stdout.count(str(copy)) != 2:
        raise MutantError(f"the copy's packages are not the ones imported: {where.stdout}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="only these mutants (default: all)")
    args = parser.parse_args()
    chosen = [m for m in MUTANTS if not args.names or m.name in args.names]
    if not chosen:
        print(f"no such mutant; known: {', '.join(m.name for m in MUTANTS)}", file=sys.stderr)
        return 2
    survivors: list[str] = []
    with tempfile.TemporaryDirectory(prefix="ledgerlink-mutants-") as folder:
        copy = Path(folder)
        copy_repository(copy)
        check_imports_from(copy)
        baseline = tuple(dict.fromkeys(t for m in chosen for t in m.tests))
        if not run_tests(copy, baseline):
            raise MutantError("the claiming tests fail without any mutant: fix them first")
        for mutant in chosen:
            target = copy / mutant.path
            original = substitute(target, mutant.old, mutant.new)
            try:
                passed = run_tests(copy, mutant.tests)
            finally:
                target.write_text(original)
            print(f"{'SURVIVED' if passed else 'killed':8}  {mutant.name}", flush=True)
            if passed:
                survivors.append(mutant.name)
    if survivors:
        print(f"{len(survivors)} mutant(s) survived: {', '.join(survivors)}")
        return 1
    print(f"all {len(chosen)} mutant(s) killed")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except MutantError as error:
        print(f"mutants: {error}", file=sys.stderr)
        sys.exit(2)
