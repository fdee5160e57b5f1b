# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aep.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The idempotency core: read, compare only what the user set, write.

Every module converges through ``converge()``: it compares the keys the task
sets (``None`` means "not set", never compared) against the object read from
the API, normalising unordered lists, and only then creates or updates. In
check mode it returns the predicted object without calling ``create``/``update``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json


def normalize(value):
    """A comparable form: dicts recursively, lists sorted (order is not meaningful)."""
    if isinstance(value, dict):
        return dict((k, normalize(v)) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        items = [normalize(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, default=str))
    return value


def differences(desired, current):
    """Keys of ``desired`` (set by the user, i.e. not None) whose value differs in ``current``."""
    current = current or {}
    return sorted(
        key for key, value in desired.items()
        if value is not None and normalize(value) != normalize(current.get(key))
    )


def subset(obj, keys):
    obj = obj or {}
    return dict((k, obj.get(k)) for k in keys)


def make_diff(before, after, keys):
    """``--diff`` output restricted to the fields the user set."""
    return dict(
        before=subset(before, keys) if before is not None else {},
        after=subset(after, keys) if after is not None else {},
    )


def predict(current, desired):
    """The object as it will be after the change (check mode's answer)."""
    result = dict(current or {})
    result.update((k, v) for k, v in desired.items() if v is not None)
    return result


def converge(current, desired, create, update, check_mode, compare=differences):
    """Bring an object to ``desired``.

    ``create(desired)`` and ``update(current, changed_keys)`` return the new
    object. Returns ``(changed, obj, diff)``.
    """
    keys = sorted(k for k, v in desired.items() if v is not None)
    if current is None:
        after = predict(None, desired) if check_mode else create(desired)
        return True, after, make_diff(None, after, keys)
    changed_keys = compare(desired, current)
    if not changed_keys:
        return False, current, make_diff(current, current, keys)
    after = predict(current, desired) if check_mode else update(current, changed_keys)
    return True, after, make_diff(current, after, keys)


def remove(current, delete, check_mode):
    """``state: absent``: ``(changed, diff)``; absent already is not a change."""
    if current is None:
        return False, dict(before={}, after={})
    if not check_mode:
        delete(current)
    return True, dict(before=current, after={})
