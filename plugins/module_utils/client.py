# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aep.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one HTTP client every module uses.

One ``requests.Session`` per module run, with Adobe's headers, a timeout on
every request, TLS verification folded into ``verify``, proxies from the
standard environment variables, and retries through urllib3's ``Retry``:

* GET/HEAD/OPTIONS/DELETE are retried on 429/500/502/503/504 and on a
  dropped connection;
* POST/PUT/PATCH only where the server cannot have acted: 429 and 503 (both
  refusals) and a connection that was never opened. A create that may have
  reached the server is never re-sent blindly: the caller re-reads by natural
  key first;
* ``Retry-After`` is honoured (capped), otherwise exponential backoff with
  jitter; after the last try the caller gets the last answer's error.

A 401 re-mints the token once and retries once.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import random
import socket
import time
import traceback

from ansible.module_utils.six.moves.urllib.parse import urlparse

try:
    import requests
    from requests.adapters import HTTPAdapter
    from urllib3.util.retry import Retry
    from urllib3.exceptions import ConnectTimeoutError, NewConnectionError, ReadTimeoutError
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError:
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = traceback.format_exc()
    Retry = object
    ConnectTimeoutError = NewConnectionError = ReadTimeoutError = OSError

from ansible_collections.aep.platform.plugins.module_utils.errors import AepApiError, AepConnectionError

SAFE_METHODS = frozenset(["GET", "HEAD", "OPTIONS", "DELETE"])
RETRY_STATUSES_SAFE = frozenset([429, 500, 502, 503, 504])
RETRY_STATUSES_UNSAFE = frozenset([429, 503])  # refusals: the server did not act
RETRY_AFTER_CAP = 60.0
FALLBACK_STATUSES = (404, 405)  # where the docs' form of a call is unknown, try the spec's
USER_AGENT = "aep.platform-ansible-collection"


class AepRetry(Retry):
    """urllib3 Retry with a per-method status policy and an injectable sleep."""

    def __init__(self, *args, **kwargs):
        sleeper = kwargs.pop("sleeper", None)
        self.sleeper = time.sleep if sleeper is None else sleeper
        self.backoff_base = kwargs.pop("backoff_base", 0.5)
        self.backoff_cap = kwargs.pop("backoff_cap", 20.0)
        super(AepRetry, self).__init__(*args, **kwargs)

    def new(self, **kw):
        retry = super(AepRetry, self).new(**kw)
        retry.sleeper = self.sleeper
        retry.backoff_base = self.backoff_base
        retry.backoff_cap = self.backoff_cap
        return retry

    def is_retry(self, method, status_code, has_retry_after=False):
        statuses = RETRY_STATUSES_SAFE if method.upper() in SAFE_METHODS else RETRY_STATUSES_UNSAFE
        return bool(self.total) and status_code in statuses

    def get_backoff_time(self):
        attempts = len(self.history)
        if attempts < 1:
            return 0
        value = min(self.backoff_cap, self.backoff_base * (2 ** (attempts - 1)))
        return value * (0.5 + random.random() / 2)  # "equal jitter"

    def sleep(self, response=None):
        if response is not None:
            header = response.headers.get("Retry-After")
            if header is not None:
                try:
                    seconds = float(header)
                except ValueError:
                    seconds = None
                if seconds is not None:
                    self.sleeper(max(0.0, min(seconds, RETRY_AFTER_CAP)))
                    return
        backoff = self.get_backoff_time()
        if backoff > 0:
            self.sleeper(backoff)


def build_retry(retries, sleeper=None, backoff_base=0.5):
    return AepRetry(
        total=retries,
        connect=retries,
        read=retries,
        status=retries,
        other=0,
        redirect=0,
        allowed_methods=SAFE_METHODS,  # read errors (dropped after sending) only for these
        raise_on_status=False,
        raise_on_redirect=False,
        respect_retry_after_header=True,
        sleeper=sleeper,
        backoff_base=backoff_base,
    )


class ApiResponse:
    def __init__(self, status, headers, body, text):
        self.status = status
        self.headers = headers
        self.body = body
        self.text = text

    @property
    def request_id(self):
        return self.headers.get("x-request-id")


class AepClient:
    """Talks to AEP (or the simulator) for one module run."""

    def __init__(self, platform_url, org_id=None, api_key=None, sandbox=None, token_provider=None,
                 timeout=30, verify=True, retries=5, sleeper=None, backoff_base=0.5):
        self.platform_url = platform_url.rstrip("/")
        self.org_id = org_id
        self.api_key = api_key
        self.sandbox = sandbox
        self.tokens = token_provider
        self.timeout = timeout
        self.verify = verify
        self.warnings = []
        self.calls = []  # (method, path, status) of every logical call, for results and tests
        self.session = requests.Session()
        self.session.trust_env = False  # no ~/.netrc auth overriding ours; proxies handled below
        adapter = HTTPAdapter(max_retries=build_retry(retries, sleeper, backoff_base))
        self.session.mount("https://", adapter)
        self.session.mount("http://", adapter)
        self.session.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})

    # -- low level ---------------------------------------------------------

    def _secrets(self):
        return self.tokens.secrets() if self.tokens else []

    def scrub(self, text):
        return scrub(text, self._secrets())

    def _send(self, method, url, path, **kwargs):
        kwargs.setdefault("timeout", self.timeout)
        kwargs["verify"] = self.verify
        kwargs["proxies"] = requests.utils.get_environ_proxies(url)
        try:
            return self.session.request(method, url, **kwargs)
        except requests.exceptions.SSLError as e:
            raise AepConnectionError(method, path, self.scrub(
                "TLS error (%s); give the CA bundle in auth.ca_path, or set auth.validate_certs: false "
                "for a test endpoint" % _reason(e)), kind="tls")
        except requests.exceptions.RequestException as e:
            # A read timeout on a retried (safe) method arrives as a ConnectionError wrapping
            # urllib3's MaxRetryError(ReadTimeoutError) once the retries are used up.
            if isinstance(e, requests.exceptions.Timeout) or _timed_out(e):
                raise AepConnectionError(method, path, self.scrub(
                    "no answer within %ss (auth.timeout): %s" % (self.timeout, _reason(e))), kind="timeout")
            raise AepConnectionError(method, path, self.scrub(
                "connection failed after retries: %s" % _reason(e)), kind="connection")

    def _send_form(self, method, url, data):
        return self._send(method, url, urlparse(url).path, data=data)

    def headers(self, sandbox=None, token=None, extra=None):
        h = {}
        if self.tokens is not None:
            h["Authorization"] = "Bearer %s" % (token or self.tokens.token(self._send_form))
        if self.api_key:
            h["x-api-key"] = self.api_key
        if self.org_id:
            h["x-gw-ims-org-id"] = self.org_id
        sandbox = sandbox or self.sandbox
        if sandbox:
            h["x-sandbox-name"] = sandbox
        h.update(extra or {})
        return h

    def request(self, method, path, query=None, json=None, sandbox=None, headers=None, url=None,
                missing_ok=False):
        """Send one call; return the decoded body (None when empty).

        ``path`` is relative to ``platform_url`` unless ``url`` is given.
        ``missing_ok``: a 404 returns None instead of raising.
        Raises AepApiError for any other non-2xx answer.
        """
        method = method.upper()
        response = self.raw(method, path, query=query, json=json, sandbox=sandbox, headers=headers, url=url)
        if missing_ok and response.status == 404:
            return None
        if response.status >= 400:
            raise AepApiError(method, path, response.status, body=response.body,
                              text=response.text, request_id=response.request_id).scrub(self.scrub)
        return response.body

    def raw(self, method, path, query=None, json=None, sandbox=None, headers=None, url=None):
        """Send one call and return an ApiResponse whatever its status."""
        method = method.upper()
        full = url or (self.platform_url + path)
        kwargs = dict(params=query)
        if json is not None:
            kwargs["json"] = json
        token = None
        response = self._send(method, full, path, headers=self.headers(sandbox, extra=headers), **kwargs)
        if response.status_code == 401 and self.tokens is not None and self.tokens.can_refresh:
            token = self.tokens.token(self._send_form, stale_token=self.tokens.current)
            response = self._send(method, full, path, headers=self.headers(sandbox, token, headers), **kwargs)
        self.calls.append((method, path, response.status_code))
        try:
            body = response.json() if response.content else None
        except ValueError:
            body = None
        return ApiResponse(response.status_code, response.headers, body, response.text)

    # -- conveniences --------------------------------------------------------

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, **kwargs):
        return self.request("POST", path, **kwargs)

    def put(self, path, **kwargs):
        return self.request("PUT", path, **kwargs)

    def patch(self, path, **kwargs):
        return self.request("PATCH", path, **kwargs)

    def delete(self, path, **kwargs):
        return self.request("DELETE", path, **kwargs)

    def iter_items(self, path, query=None, limit=50, sandbox=None, max_pages=1000):
        """Every item of a paged list (``{data, hasNextPage}``), lazily, following ``start``.

        ``start`` is an item offset. A server that ignores it (the same page
        again) stops the walk with a warning instead of looping or returning
        duplicates. Callers may stop early: no further page is read.
        """
        start = 0
        previous = None
        for dummy in range(max_pages):
            page_query = dict(query or {})
            page_query.update(start=start, limit=limit)
            body = self.get(path, query=page_query, sandbox=sandbox) or {}
            data = body if isinstance(body, list) else (body.get("data") or [])
            signature = [_identity(item) for item in data]
            if data and signature == previous:
                self.warnings.append(
                    "GET %s returned the same page for start=%s as before; the server ignores paging, "
                    "stopped there" % (path, start))
                return
            yield from data
            if isinstance(body, list) or not body.get("hasNextPage") or not data:
                return
            previous = signature
            start += len(data)

    def paginate(self, path, query=None, limit=50, sandbox=None, max_pages=1000):
        """Every item of a paged list, as a list (see ``iter_items``)."""
        return list(self.iter_items(path, query=query, limit=limit, sandbox=sandbox, max_pages=max_pages))


def with_fallback(first, second):
    """Call ``first()`` (the docs' form of a call); on HTTP 404/405 call ``second()`` (the spec's form).

    When the fallback answers 404/405 too, the first error is raised: it names
    the documented call, and a missing object answers 404 on both.
    """
    try:
        return first()
    except AepApiError as e:
        if e.status not in FALLBACK_STATUSES:
            raise
        try:
            return second()
        except AepApiError as e2:
            if e2.status in FALLBACK_STATUSES:
                raise e
            raise


def scrub(text, secrets):
    for secret in secrets:
        if secret:
            text = text.replace(secret, "********")
    return text


def _identity(item):
    if isinstance(item, dict):
        for key in ("id", "linkingId", "jobId"):
            if key in item:
                return item[key]
    return repr(item)


def _causes(exc):
    """The exception and its wrapped reasons, outermost first (requests -> urllib3 -> socket)."""
    seen = exc
    for dummy in range(6):
        yield seen
        inner = getattr(seen, "reason", None) or (seen.args[0] if getattr(seen, "args", None) else None)
        if inner is None or inner is seen or isinstance(inner, str):
            return
        seen = inner


def _timed_out(exc):
    """True when a requests ConnectionError is, underneath, a read or connect timeout."""
    for cause in _causes(exc):
        if isinstance(cause, NewConnectionError):  # a refused connection (a ConnectTimeoutError subclass)
            return False
        if isinstance(cause, (socket.timeout, ReadTimeoutError, ConnectTimeoutError)):
            return True
    return False


def _reason(exc):
    """The innermost useful reason of a requests/urllib3 exception."""
    return str(list(_causes(exc))[-1])
