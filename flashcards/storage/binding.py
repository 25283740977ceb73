"""Which database the models run on: the one the caller is bound to, never a process-wide one.

The models (storage/models.py) reach their database through `models_database`, a peewee
`DatabaseProxy` whose target is a context variable, not a global: `bound(db)` sets it for a
block and puts back what was there before, and nothing else sets it. There is no default, so a
query run outside any binding fails at once ("no collection is bound") rather than running on
whichever collection happened to be opened last. Two collections can be open in one process
(`migrate-to`'s source and target, a test's two files) and each call runs on its own.

Every public service and statistics function that takes a `Collection` (or a `Database`) as its
first argument is decorated with `runs_on_collection`, which binds that collection's database for
the call; a test (tests/core/test_architecture.py) fails when one is not.

Why a context variable and not peewee's `bind_ctx`: `bind_ctx` rebinds the model classes, which
are shared by every thread, so a Textual thread worker answering on one collection would move the
UI thread's queries too, and two overlapping `bind_ctx` blocks in two threads restore each other's
database in the wrong order. A context variable is per thread (a thread starts with none bound,
which is why each worker's service call binds for itself) and per asyncio task, and
`bound()` resets it with its token, so nested and concurrent bindings cannot leak.

The cost is one `ContextVar.set`/`reset` per service call and one `ContextVar.get` per model query
that reaches the proxy. The answer hot path (card_rows.py) runs its prepared SQL on the
`Database` it was given and never goes through the proxy.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from contextvars import ContextVar, Token
from typing import Any, ParamSpec, TypeVar

from peewee import Database, DatabaseProxy

P = ParamSpec("P")
T = TypeVar("T")

_current: ContextVar[Database | None] = ContextVar("flashcards_database", default=None)

UNBOUND = (
    "no collection is bound: a model query ran outside `storage.binding.bound(db)` "
    "(a service or statistics function is missing `@runs_on_collection`)"
)


class BoundDatabaseProxy(DatabaseProxy):
    """A `DatabaseProxy` whose target is whatever `bound()` set in the running context."""

    __slots__ = ()

    def __init__(self) -> None:
        object.__setattr__(self, "_callbacks", [])

    @property  # type: ignore[override]  # peewee's proxy keeps `obj` in a slot
    def obj(self) -> Database | None:
        return _current.get()

    def initialize(self, obj: object) -> None:
        """Refused: a process-wide database is what this proxy exists to avoid."""
        raise TypeError("bind a database for a block with storage.binding.bound(db)")

    def __getattr__(self, attr: str) -> Any:
        db = _current.get()
        if db is None:
            raise AttributeError(UNBOUND)
        return getattr(db, attr)


models_database = BoundDatabaseProxy()


class bound:  # noqa: N801  (a context manager used as a function, like contextlib.suppress)
    """`with bound(db):` runs the block's model queries on `db` (in this thread or task only),
    then puts back the binding that was there before.

    A class rather than a @contextmanager generator: the study session enters one on every
    answer and every card shown, and this costs a third of the generator's 1.2 µs.
    """

    __slots__ = ("_db", "_token")

    def __init__(self, db: Database) -> None:
        self._db = db
        self._token: Token[Database | None] | None = None

    def __enter__(self) -> Database:
        self._token = _current.set(self._db)
        return self._db

    def __exit__(self, *exc_info: object) -> None:
        assert self._token is not None, "exited a binding that was never entered"
        _current.reset(self._token)
        self._token = None


def _database_of(first: object) -> Database:
    """The database of a service's first argument: a `Database`, or anything with a `.db` (a
    `Collection`; stats, which may not import services, see it as `OpenCollection`)."""
    if isinstance(first, Database):
        return first
    db = getattr(first, "db", None)
    if not isinstance(db, Database):
        raise TypeError(f"{type(first).__name__} is neither a Database nor has a `.db` database")
    return db


def runs_on_collection(func: Callable[P, T]) -> Callable[P, T]:
    """Bind the database of `func`'s first argument (a `Collection` or a `Database`) while it
    runs. Not for generator functions: the binding would end at their first `yield`."""
    if inspect.isgeneratorfunction(func):
        raise TypeError(f"{func.__qualname__}: a generator cannot keep a binding across yields")
    first_name = next(iter(inspect.signature(func).parameters))

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        token = _current.set(_database_of(args[0] if args else kwargs[first_name]))
        try:
            return func(*args, **kwargs)
        finally:
            _current.reset(token)

    wrapper.runs_on_collection = True  # type: ignore[attr-defined]  # what the test looks for
    return wrapper
