"""The hostile-input harness: run a case, classify what happened, and say why that is or isn't fine.

Every case names what a correct outcome is: ``"error"`` (the input is bad and
must be refused with a documented error), ``"accept"`` (it is good and must
load), or ``"either"`` (both are fine, as long as an acceptance is checked by
the case's own ``verify``). What actually happened is one of:

- ``clean error``: a documented exception type, with a message of bounded size;
- ``accepted``: no exception (then ``verify`` decides whether nothing was lost);
- ``refused good input``: a documented error where the input was good and had to load;
- ``traceback``: any other exception, which the CLI would show as an internal error;
- ``hang``: it ran past the time limit.

A case fails unless it is a clean error where an error is expected, or a
verified acceptance where an acceptance is allowed.
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Callable, Iterator
from typing import Any

import attrs

__all__ = ["MAX_MESSAGE", "TIME_LIMIT", "Case", "Outcome", "run_case"]

#: Seconds a single case may take before it counts as a hang (the issue's threshold was 10 s).
TIME_LIMIT = 5

#: The longest error message a case may produce: a bad value is echoed cut to about 80 characters.
MAX_MESSAGE = 2_000


@attrs.frozen
class Case:
    """One hostile input: what to run, what a correct outcome is, and how to check an acceptance."""

    name: str
    run: Callable[[], Any]
    expect: str  # "error", "accept" or "either"
    errors: tuple[type[BaseException], ...]
    verify: Callable[[Any], bool] = attrs.field(default=lambda _result: True)
    key: str = ""  # what makes the input distinct, where generated cases may repeat one; "" means the name

    @property
    def input_key(self) -> str:
        """The input this case runs, for counting distinct inputs among generated cases."""
        return self.key or self.name


@attrs.frozen
class Outcome:
    """What happened to a case, and whether that is acceptable."""

    case: str
    kind: str  # "clean error", "accepted", "refused good input", "traceback", "hang", "silent acceptance", "lost data",
    # or "long message"
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.kind in ("clean error", "accepted")


class _Hang(BaseException):
    """Raised by the alarm; a BaseException so no ``except Exception`` in the library swallows it."""


@contextlib.contextmanager
def _time_limit(seconds: int) -> Iterator[None]:
    def ring(_signum: int, _frame: object) -> None:
        raise _Hang

    previous = signal.signal(signal.SIGALRM, ring)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def run_case(case: Case) -> Outcome:
    """Run one case in this process, under the time limit, and classify it."""
    try:
        with _time_limit(TIME_LIMIT):
            result = case.run()
    except _Hang:
        return Outcome(case.name, "hang", f"over {TIME_LIMIT} s")
    except case.errors as error:
        message = str(error)
        if len(message) > MAX_MESSAGE:
            return Outcome(case.name, "long message", f"{len(message):,} characters")
        if case.expect == "accept":
            return Outcome(case.name, "refused good input", f"{type(error).__name__}: {message[:200]}")
        return Outcome(case.name, "clean error")
    except Exception as error:  # noqa: BLE001 - classifying it is the point
        return Outcome(case.name, "traceback", f"{type(error).__name__}: {str(error)[:200]}")
    if case.expect == "error":
        return Outcome(case.name, "silent acceptance", repr(result)[:200])
    if not case.verify(result):
        return Outcome(case.name, "lost data", repr(result)[:200])
    return Outcome(case.name, "accepted")
