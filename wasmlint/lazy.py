"""``cached_property`` without a lock.

Python 3.10 and 3.11's ``functools.cached_property`` takes a lock on every first read
of every instance (removed in 3.12: it serialised unrelated instances); a shell script's
views read two on each of their thousands of commands, and the lock cost more than what
it guarded. wasmlint reads one file's facts on one thread, so none is needed: this is
3.12's descriptor. The value is stored in the instance's ``__dict__`` under the
function's name, and later reads find it there without calling the descriptor."""
from __future__ import annotations


class cached_property:  # noqa: N801 - named as the functools one it replaces
    def __init__(self, func):
        self.func = func
        self.attrname = None
        self.__doc__ = func.__doc__

    def __set_name__(self, owner, name: str) -> None:
        self.attrname = name

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        value = instance.__dict__[self.attrname] = self.func(instance)
        return value
