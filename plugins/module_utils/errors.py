# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aep.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Exception classes of the collection.

Every failure a user can meet is one of these. Each knows how to turn itself
into ``fail_json`` keyword arguments, so a module's ``main()`` never shows a
Python traceback for a user mistake or an API refusal.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class AepError(Exception):
    """Base class: a message for the user and extra keys for the result."""

    def __init__(self, msg, **extra):
        super(AepError, self).__init__(msg)
        self.msg = msg
        self.extra = extra

    def scrub(self, scrubber):
        """Pass the message and every text field through ``scrubber`` (removes secrets); return self."""
        self.msg = scrubber(self.msg)
        self.args = (self.msg,)
        for key, value in self.extra.items():
            if isinstance(value, str):
                self.extra[key] = scrubber(value)
        if isinstance(getattr(self, "message", None), str):
            self.message = scrubber(self.message)
        return self

    def to_fail_kwargs(self):
        kwargs = dict(msg=self.msg)
        kwargs.update(self.extra)
        return kwargs


class AepValidationError(AepError):
    """Bad input, detected before any request is sent."""

    def __init__(self, option, msg):
        super(AepValidationError, self).__init__("%s: %s" % (option, msg), option=option)
        self.option = option


class AepAuthError(AepError):
    """Credentials missing or refused by IMS."""


class AepConnectionError(AepError):
    """The call never got an HTTP answer (refused, dropped, TLS, timeout)."""

    def __init__(self, method, path, reason, kind="connection"):
        msg = "%s %s failed: %s" % (method, path, reason)
        super(AepConnectionError, self).__init__(msg, call="%s %s" % (method, path), error_kind=kind)
        self.method = method
        self.path = path
        self.kind = kind

    @property
    def maybe_sent(self):
        """The request may have reached the server (a timeout or a dropped connection, not a TLS refusal).

        A create failing like this is never re-sent blindly: the caller re-reads by natural key first.
        """
        return self.kind in ("timeout", "connection")


class AepWaitTimeout(AepError):
    """A wait for a terminal state ran out of time."""

    def __init__(self, what, timeout, last_state, last_object=None):
        msg = "Timed out after %ss waiting for %s; last state seen: %s" % (timeout, what, last_state)
        super(AepWaitTimeout, self).__init__(msg, last_state=last_state)
        self.last_state = last_state
        self.last_object = last_object


class AepStateError(AepError):
    """The object exists but is in a state that forbids what the task asks."""


def parse_error_body(body):
    """Return (code, message, details) from either of Adobe's error shapes.

    Gateway: ``{"error_code": "401013", "message": "..."}``.
    Services: ``{"type": ".../EXIM-1234-400", "title": "...", "status": 400,
    "detail": "...", "report": {...}}``. IMS: ``{"error": "...",
    "error_description": "..."}``. Anything else: no code, raw text.
    """
    if not isinstance(body, dict):
        return None, None, None
    if "error_code" in body:
        return str(body.get("error_code")), body.get("message"), None
    if "title" in body or "type" in body or "detail" in body:
        code = body.get("type")
        if isinstance(code, str) and "/" in code:
            code = code.rstrip("/").rsplit("/", 1)[-1]
        parts = [p for p in (body.get("title"), body.get("detail")) if p]
        return code, ": ".join(str(p) for p in parts) or None, body.get("report")
    if "error" in body:
        return str(body.get("error")), body.get("error_description") or body.get("message"), None
    if "message" in body:
        code = body.get("code") or body.get("status")
        return (str(code) if code is not None else None), body.get("message"), None
    return None, None, None


class AepApiError(AepError):
    """An HTTP answer that is not a success.

    The message names the call, the HTTP status, Adobe's error code and
    message, and the request id. It never contains request headers or bodies,
    so no token or secret can leak through it.
    """

    def __init__(self, method, path, status, body=None, text=None, request_id=None):
        code, message, report = parse_error_body(body)
        if message is None and text:
            message = text.strip()[:500]
        msg = "%s %s failed: HTTP %s" % (method, path, status)
        if code:
            msg += ", error code %s" % code
        if message:
            msg += "; %s" % message
        if request_id:
            msg += " (request id %s)" % request_id
        super(AepApiError, self).__init__(
            msg,
            call="%s %s" % (method, path),
            status=status,
            error_code=code,
            error_message=message,
            request_id=request_id,
        )
        self.method = method
        self.path = path
        self.status = status
        self.code = code
        self.message = message
        self.report = report
        self.body = body
        self.request_id = request_id
