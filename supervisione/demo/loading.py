"""Idempotent writes for the demo: an object is saved only when a value differs from what is stored."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


class Counter:
    def __init__(self) -> None:
        self.created = 0
        self.updated = 0

    def __str__(self) -> str:
        return f"{self.created} creati, {self.updated} aggiornati"


def ensure(model: type[M], lookup: dict[str, Any], values: dict[str, Any] | None = None, *, counter: Counter) -> M:
    """Get the object matching ``lookup`` and make its fields equal ``values``; create it if missing."""
    values = values or {}
    instance = model._default_manager.filter(**lookup).first()
    if instance is None:
        instance = model(**lookup, **values)
        given = {**lookup, **values}
        untouched = [f.name for f in model._meta.concrete_fields if f.name not in given]
        # A foreign key given as a saved object is not looked up again: full_clean's only check of it beyond what
        # the object already proves (not empty) is a query that the row exists (an eighth of the demo's loading,
        # one per key of every new row), and the database refuses a missing row all the same.
        held = [
            f.name
            for f in model._meta.concrete_fields
            if f.many_to_one and isinstance(given.get(f.name), models.Model) and given[f.name].pk is not None
        ]
        instance.full_clean(exclude=untouched + held, validate_unique=False, validate_constraints=False)
        instance.save()
        counter.created += 1
        return instance
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    if changed:
        for name in changed:
            setattr(instance, name, values[name])
        instance.save(update_fields=changed)
        counter.updated += 1
    return instance
