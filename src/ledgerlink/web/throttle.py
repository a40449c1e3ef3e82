"""How long a sign-in waits after failed ones: guessing a password gets slower and slower."""

# Failures in a row that cost nothing (a typo or two), then the wait doubles each time.
FREE_FAILURES = 3
FIRST_WAIT_SECONDS = 1.0
MAX_WAIT_SECONDS = 30.0


def wait_seconds(failures_in_a_row: int) -> float:
    """Seconds a sign-in for an email waits, given the failures since its last success."""
    if failures_in_a_row < FREE_FAILURES:
        return 0.0
    doublings = min(failures_in_a_row - FREE_FAILURES, 16)  # past the cap already
    doubled = FIRST_WAIT_SECONDS * float(2**doublings)
    return min(doubled, MAX_WAIT_SECONDS)
