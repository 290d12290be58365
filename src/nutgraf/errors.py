"""Every error nutgraf raises, in one hierarchy, and the one table that maps them to exit codes.

A document nutgraf cannot summarize is not an exception: it is a ``Rejection`` result with a ``reason``
(see ``contracts.RejectReason``). Exceptions are for what stops a whole call or job: a bad option, an
unreadable file or model, a job that cannot continue. Every class here carries a message written for the
person running nutgraf. Anything that is *not* a ``NutgrafError`` is a bug: the CLI prints its traceback
and exits with ``EXIT_BUG``, never as a usage error.

This module imports nothing of nutgraf's, so every stage may import it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from nutgraf.contracts import Rejection, RejectReason

EXIT_OK = 0
"""Everything was summarized."""
EXIT_FAILED = 1
"""Some input could not be summarized (each one reported), or a job stopped part-way (rerun with --resume)."""
EXIT_USAGE = 2
"""A usage error: a bad option, a missing or unreadable file or model, a missing extra. Nothing was done."""
EXIT_BUG = 3
"""A bug in nutgraf: the traceback is printed; please report it."""
EXIT_INTERRUPTED = 130
"""Ctrl-C."""


class NutgrafError(Exception):
    """Base class of nutgraf's own errors; the message is meant for the person running nutgraf."""


class UsageError(NutgrafError, ValueError):
    """The call asks for something that cannot work: a bad option value, a missing file, a URL.
    A ``ValueError`` too, so library callers that catch ``ValueError`` for bad arguments keep working."""


class OptionError(UsageError):
    """An option value outside its limits, or options that do not go together."""


class UnknownName(UsageError):
    """A method, scorer, format or language name that is not registered; the message lists the valid ones."""


class MissingExtra(UsageError):
    """An optional feature whose extra is not installed; the message gives the exact ``pip install``."""

    def __init__(self, feature: str, extra: str, detail: str = "") -> None:
        why = f" ({detail})" if detail else ""
        super().__init__(f"{feature} needs the {extra} extra: pip install 'nutgraf[{extra}]'{why}")
        self.extra = extra


class ModelError(UsageError):
    """A model file that is missing, damaged, or made for another version of the features."""


class ParserUnavailable(ModelError):
    """The dependency parser that compression needs is not installed or does not load."""


class PeerUnavailable(UsageError):
    """An evaluation peer whose package is not installed."""


class BatchError(UsageError):
    """The batch job as a whole cannot start (bad resume state, output exists); nothing was written."""


class EvaluationError(UsageError):
    """An evaluation that cannot run (no rows, options that contradict each other)."""


class TrainingError(UsageError):
    """Training that cannot run (too few labelled rows, unreadable data)."""


class JobError(NutgrafError):
    """A job (batch, evaluate, train) that stopped part-way; what it wrote stays valid."""


class WorkerDied(JobError):
    """A worker process died mid-job; what was written stays valid and --resume continues."""


class Cancelled(NutgrafError):
    """The work was abandoned (the service answered 504): raised between pipeline stages in the thread that
    was doing it, so that thread stops instead of finishing work nobody will read."""


class InputRejected(NutgrafError):
    """Raised by the convenience API (``nutgraf.summarize``) when a document cannot be summarized; carries
    the ``Rejection`` (and its machine-readable ``reason``)."""

    def __init__(self, rejection: Rejection) -> None:
        super().__init__(rejection.message)
        self.rejection = rejection

    @property
    def reason(self) -> RejectReason:
        return self.rejection.reason


EXIT_CODES: tuple[tuple[type[BaseException], int], ...] = (
    # The first class an exception is an instance of decides; anything not listed is a bug (EXIT_BUG).
    (KeyboardInterrupt, EXIT_INTERRUPTED),
    (UsageError, EXIT_USAGE),
    (JobError, EXIT_FAILED),
    (InputRejected, EXIT_FAILED),
    (NutgrafError, EXIT_FAILED),
)


def exit_code(exc: BaseException) -> int:
    """The exit code for an exception, by ``EXIT_CODES``; ``EXIT_BUG`` for anything that is not ours."""
    for cls, code in EXIT_CODES:
        if isinstance(exc, cls):
            return code
    return EXIT_BUG
