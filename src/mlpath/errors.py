"""The kinds of failure mlpath reports, each with its exit code.

Raise one where the problem is found; the CLI turns it into one line on stderr and the exit
code. Anything else that escapes is a bug and keeps its traceback.
"""

from __future__ import annotations

TYPE_CHECKING = False  # no `typing` on the read path: see mlpath.plain
if TYPE_CHECKING:
    from typing import Any


class MlpathError(Exception):
    """A problem a person can act on. The message is the whole story, in one line."""

    exit_code = 1


class UsageError(MlpathError):
    """The command line asked for something that does not exist (a step 9, a skill of 11)."""

    exit_code = 2


class CatalogueError(MlpathError):
    """The catalogue file is missing or does not validate."""


class StoreError(MlpathError):
    """The learner's files cannot be read, trusted or written. The message names the path."""


class StoreTooNew(StoreError):
    """The file was written by a newer mlpath: not damage, and never to be replaced."""


class BadImport(MlpathError):
    """An export file that cannot be imported. Checked whole before anything is written."""


class StoreBusy(MlpathError):
    """Another mlpath holds the store's lock."""

    exit_code = 75  # EX_TEMPFAIL: try again later


class OutputLost(MlpathError):
    """stdout cannot be written: closed, a full device, a reader that went away. Raised only
    by views/streams.write; the CLI says whether the command's change was made before it."""

    def __init__(self, message: str, *, pipe_closed: bool = False) -> None:
        super().__init__(message)
        self.pipe_closed = pipe_closed


class SyncError(MlpathError):
    """Sync could not finish: no git, no network, a refused push, a repository that is not
    mlpath's. The local store is left as the last completed step left it."""


def reason(exc: OSError) -> str:
    """The cause in a person's words: 'no space left on device', 'permission denied'."""
    return (exc.strerror or str(exc)).lower()


def first_error(exc: Any) -> tuple[list[str], str]:
    """The first problem of a pydantic ValidationError: the path of the field it is in, and
    what is wrong, in mlpath's words (`in_words`). Every message about a file that failed
    its model starts from here."""
    error = exc.errors(include_url=False)[0]
    return [str(part) for part in error["loc"]], in_words(error)


_TIME = "a time with its offset, like 2026-11-24T09:30:00+00:00"
# What pydantic's error types mean, in mlpath's words; anything else keeps pydantic's.
_WORDS = {
    "missing": "missing",
    "extra_forbidden": "not a field mlpath knows",
    "int_type": "should be a whole number",
    "int_parsing": "should be a whole number",
    "int_from_float": "should be a whole number",
    "float_type": "should be a number",
    "float_parsing": "should be a number",
    "finite_number": "should be a finite number",
    "string_type": "should be text",
    "bool_type": "should be true or false",
    "bool_parsing": "should be true or false",
    "list_type": "should be a list",
    "dict_type": "should be a set of fields",
    "model_type": "should be a set of fields",
    "model_attributes_type": "should be a set of fields",
    "datetime_type": f"should be {_TIME}",
    "datetime_parsing": f"should be {_TIME}",
    "datetime_from_date_parsing": f"should be {_TIME}",
    "timezone_aware": f"should be {_TIME}",
    "json_invalid": "not valid JSON",
}
# Fields whose form a pattern checks, and the form in words.
PATTERNS = {
    "machine": "letters, digits, - and _ only, 1 to 64 of them",
    "id": "should be lowercase letters, digits and single dashes, like take-ml-courses",
}


def located(loc: Any) -> str:
    """Where in a document an error is: 'events[0].at'."""
    where = ""
    for part in loc:
        where += f"[{part}]" if isinstance(part, int) else f".{part}" if where else str(part)
    return where


def in_words(error: Any) -> str:
    """One pydantic error (an item of `ValidationError.errors()`) as mlpath says it:
    'should be a whole number', not 'Input should be a valid integer'."""
    kind, context = str(error.get("type")), error.get("ctx") or {}
    field = str(error["loc"][-1]) if error.get("loc") else ""
    bounds = {
        "less_than_equal": ("at most", "le"),
        "greater_than_equal": ("at least", "ge"),
        "less_than": ("less than", "lt"),
        "greater_than": ("more than", "gt"),
    }
    if kind in bounds and bounds[kind][1] in context:
        return f"should be {bounds[kind][0]} {context[bounds[kind][1]]}"
    if kind == "string_too_short":
        least = context.get("min_length", 1)
        return "should not be empty" if least == 1 else f"should be {least} characters or more"
    if kind == "string_too_long":
        return f"should be {context.get('max_length')} characters or fewer"
    if kind in ("literal_error", "enum") and "expected" in context:
        return f"should be {context['expected']}"
    if kind == "string_pattern_mismatch" and field in PATTERNS:
        return PATTERNS[field]
    if kind in _WORDS:
        return _WORDS[kind]
    return str(error["msg"]).removeprefix("Value error, ")
