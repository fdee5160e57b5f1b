# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from unittest.mock import MagicMock

import pytest

from ansible_collections.aep.platform.plugins.module_utils import audiences
from ansible_collections.aep.platform.plugins.module_utils.errors import AepApiError, AepConnectionError


def client(listing=None, post=None):
    c = MagicMock()
    c.warnings = []
    c.paginate.side_effect = listing or (lambda path, query=None: [])
    c.post.side_effect = post
    return c


def test_lookup_keeps_only_exact_matches():
    """A comma in a value is an OR for the filter: the answer is checked again."""
    rows = [dict(id="1", namespace="a", audienceId="x"), dict(id="2", namespace="a,b", audienceId="x")]
    c = client(listing=lambda path, query=None: rows)
    assert audiences.find_audience(c, "a,b", "x")["id"] == "2"
    assert audiences.find_audience(c, "b", "x") is None


def test_lookup_warns_on_duplicates():
    rows = [dict(id="1", namespace="a", audienceId="x"), dict(id="2", namespace="a", audienceId="x")]
    c = client(listing=lambda path, query=None: rows)
    assert audiences.find_audience(c, "a", "x")["id"] == "1"
    assert "2 audiences" in c.warnings[0]


def test_refused_create_is_not_retried():
    c = client(post=AepApiError("POST", audiences.AUDIENCES, 400, body={"title": "Bad Request"}))
    with pytest.raises(AepApiError):
        audiences.create_audience(c, dict(name="n", audienceId="x", namespace="a"))
    assert c.post.call_count == 1 and c.paginate.call_count == 0


def test_tls_error_is_not_ambiguous():
    c = client(post=AepConnectionError("POST", audiences.AUDIENCES, "bad cert", kind="tls"))
    with pytest.raises(AepConnectionError):
        audiences.create_audience(c, dict(name="n", audienceId="x", namespace="a"))
    assert c.post.call_count == 1 and c.paginate.call_count == 0


def test_conflict_on_second_create_reads_the_late_first_one():
    """The first POST timed out, was not listed yet, then landed: the retry's 409 leads to a re-read."""
    listings = [[], [dict(id="late", namespace="a", audienceId="x", name="n")]]
    posts = [AepConnectionError("POST", audiences.AUDIENCES, "slow", kind="timeout"),
             AepApiError("POST", audiences.AUDIENCES, 409, body={"title": "Conflict"})]
    c = client(listing=lambda path, query=None: listings.pop(0), post=posts)
    assert audiences.create_audience(c, dict(name="n", audienceId="x", namespace="a"))["id"] == "late"
    assert c.post.call_count == 2
