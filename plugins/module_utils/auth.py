# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aep.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""OAuth server-to-server tokens and the token cache.

A token minted for (ims_url, client_id, org_id, scopes) is written to
``$XDG_CACHE_HOME/aep.platform/tokens/<sha256>.json`` (or ``~/.cache/...``),
mode 0600, atomically, under an exclusive file lock, so that every task of a
playbook, and every fork running at once, reuses one token. The file never
holds the client secret. A token with less than five minutes left is minted
again.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import json
import os
import tempfile
import time

try:
    import fcntl
    HAS_FCNTL = True
except ImportError:  # pragma: no cover - Windows controllers are not supported by Ansible
    HAS_FCNTL = False

from ansible_collections.aep.platform.plugins.module_utils.errors import AepAuthError, parse_error_body

DEFAULT_SCOPES = [
    "openid",
    "AdobeID",
    "read_organizations",
    "additional_info.projectedProductContext",
    "session",
]
REFRESH_MARGIN = 300  # seconds: a token closer than this to expiry is minted again
TOKEN_PATH = "/ims/token/v3"


def default_cache_dir():
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "aep.platform", "tokens")


class TokenCache:
    """Tokens on disk, one file per credential, shared by processes."""

    def __init__(self, directory=None, clock=time.time):
        self.directory = directory or default_cache_dir()
        self.clock = clock

    @staticmethod
    def key(ims_url, client_id, org_id, scopes):
        material = json.dumps([ims_url.rstrip("/"), client_id, org_id, sorted(scopes)])
        return hashlib.sha256(material.encode("utf-8")).hexdigest()

    def _paths(self, key):
        base = os.path.join(self.directory, key)
        return base + ".json", base + ".lock"

    def _ensure_dir(self):
        if not os.path.isdir(self.directory):
            os.makedirs(self.directory, mode=0o700)
        os.chmod(self.directory, 0o700)

    def _read(self, path):
        try:
            with open(path) as f:
                entry = json.load(f)
        except (IOError, OSError, ValueError):
            return None
        if not isinstance(entry, dict) or not entry.get("access_token"):
            return None
        return entry

    def _fresh(self, entry):
        return entry is not None and float(entry.get("expires_at", 0)) - self.clock() > REFRESH_MARGIN

    def _write(self, path, entry):
        fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".tok-")
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "w") as f:
                json.dump(entry, f)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
        except Exception:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise

    def _locked(self, lock_path):
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        if HAS_FCNTL:
            fcntl.flock(fd, fcntl.LOCK_EX)
        return fd

    @staticmethod
    def _unlock(fd):
        if HAS_FCNTL:
            fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)

    def get_or_mint(self, key, mint, stale_token=None):
        """Return a cached token, or call ``mint()`` -> (token, expires_in) and store it.

        ``stale_token``: a token the API refused; never returned again.
        """
        self._ensure_dir()
        path, lock_path = self._paths(key)
        fd = self._locked(lock_path)
        try:
            entry = self._read(path)
            if self._fresh(entry) and entry["access_token"] != stale_token:
                return entry["access_token"]
            token, expires_in = mint()
            self._write(path, dict(access_token=token, expires_at=self.clock() + float(expires_in)))
            return token
        finally:
            self._unlock(fd)


class TokenProvider:
    """Hands out the bearer token for a client: a given one, or a minted one."""

    def __init__(self, ims_url, org_id, client_id=None, client_secret=None, scopes=None,
                 access_token=None, cache=None):
        self.ims_url = ims_url.rstrip("/")
        self.org_id = org_id
        self.client_id = client_id
        self.client_secret = client_secret
        self.scopes = list(scopes or DEFAULT_SCOPES)
        self.static_token = access_token
        self.cache = cache
        self._token = None
        self.minted = 0  # how many tokens this provider asked IMS for

    @property
    def current(self):
        return self._token

    @property
    def can_refresh(self):
        return self.static_token is None

    def secrets(self):
        return [s for s in (self.client_secret, self.static_token, self._token) if s]

    def _scrub(self, text):
        for secret in self.secrets():
            text = text.replace(secret, "********")
        return text

    def token(self, send, stale_token=None):
        """``send(method, url, data)`` posts the form and returns a requests.Response."""
        if self.static_token:
            return self.static_token
        if self._token and self._token != stale_token:
            return self._token

        def mint():
            return self._mint(send)

        if self.cache is not None:
            key = TokenCache.key(self.ims_url, self.client_id, self.org_id, self.scopes)
            self._token = self.cache.get_or_mint(key, mint, stale_token=stale_token)
        else:
            self._token = mint()[0]
        return self._token

    def _mint(self, send):
        url = self.ims_url + TOKEN_PATH
        data = dict(
            grant_type="client_credentials",
            client_id=self.client_id,
            client_secret=self.client_secret,
            scope=",".join(self.scopes),
        )
        response = send("POST", url, data)
        self.minted += 1
        try:
            body = response.json()
        except ValueError:
            body = None
        if response.status_code != 200 or not isinstance(body, dict) or not body.get("access_token"):
            code, message, dummy = parse_error_body(body)
            raise AepAuthError(
                "POST %s failed: HTTP %s%s%s%s" % (
                    TOKEN_PATH, response.status_code,
                    ", error code %s" % code if code else "",
                    "; %s" % message if message else "",
                    " (request id %s)" % response.headers.get("x-request-id") if response.headers.get("x-request-id") else "",
                ),
                call="POST %s" % TOKEN_PATH,
                status=response.status_code,
                error_code=code,
            ).scrub(self._scrub)
        return body["access_token"], body.get("expires_in", 3600)
