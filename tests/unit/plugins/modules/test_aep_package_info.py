# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""aep_package_info: lookups, filters, paging and the dependency tree, with a mocked client."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from types import SimpleNamespace
from unittest.mock import MagicMock

import pytest

from ansible_collections.aep.platform.plugins.module_utils.client import AepClient
from ansible_collections.aep.platform.plugins.module_utils.errors import AepValidationError
from ansible_collections.aep.platform.plugins.modules import aep_package_info

EXIM = "/data/foundation/exim"


def pkg(n, status="DRAFT", ptype="PARTIAL", created=1000):
    return dict(id="%032x" % n, name="p%d" % n, status=status, packageType=ptype, createdDate=created,
                artifactsList=[] if ptype == "FULL" else [dict(id="a%d" % n, type="REGISTRY_SCHEMA", found=False)])


PACKAGES = [pkg(1), pkg(2, "PUBLISHED"), pkg(3, "PUBLISH_FAILED", created=5000), pkg(4, "PUBLISHED", "FULL"),
            pkg(5, "DRAFT", created=9000)]


def make_client(all_packages=None, page=2):
    all_packages = PACKAGES if all_packages is None else all_packages
    calls = []

    def get(path, query=None, **kw):
        calls.append(("GET", path, query))
        if path == EXIM + "/packages":
            start = query["start"]
            data = all_packages[start:start + page]
            return dict(data=[dict(p) for p in data], hasNextPage=start + page < len(all_packages))
        pid = path.rsplit("/", 1)[-1]
        return next((dict(p) for p in all_packages if p["id"] == pid), None)

    def post(path, json=None, **kw):
        calls.append(("POST", path, json))
        return [dict(id=a["id"], type=a["type"], title=a["id"], children=[dict(id="cls", type="REGISTRY_CLASS")])
                for a in json]

    client = MagicMock()
    client.warnings = []
    client.get.side_effect = get
    client.post.side_effect = post
    client.paginate.side_effect = lambda path, query=None, **kw: list(AepClient.iter_items(client, path, query=query, limit=page))
    client.calls_log = calls
    return client


def run(client, **kw):
    p = dict(id=None, name=None, status=None, package_type=None, created_after=None, created_before=None,
             include_dependencies=False)
    p.update(kw)
    return aep_package_info.run(SimpleNamespace(params=p, check_mode=False), client)


def test_lists_every_page():
    client = make_client()
    result = run(client)
    assert [p["id"] for p in result["packages"]] == [p["id"] for p in PACKAGES]
    assert len([c for c in client.calls_log if c[0] == "GET"]) == 3
    assert result["changed"] is False


def test_filters_are_sent_as_property_parameters_and_checked_locally():
    client = make_client()
    result = run(client, status=["PUBLISHED", "PUBLISH_FAILED"], package_type="PARTIAL",
                 created_after="1970-01-01T00:00:02Z", created_before="1970-01-01T00:00:08Z")
    query = client.calls_log[0][2]
    assert query["property"] == ["status==PUBLISHED,PUBLISH_FAILED", "packageType==PARTIAL",
                                 "createdDate>=1970-01-01T00:00:02.000Z", "createdDate<=1970-01-01T00:00:08.000Z"]
    # the fake server ignores filters: the module filters again
    assert [p["name"] for p in result["packages"]] == ["p3"]


def test_by_id_and_by_name():
    client = make_client()
    assert [p["name"] for p in run(client, id="%032x" % 2)["packages"]] == ["p2"]
    assert run(client, id="f" * 32)["packages"] == []
    assert [p["name"] for p in run(client, name="p4")["packages"]] == ["p4"]
    assert run(client, name="p4", status=["DRAFT"])["packages"] == []
    assert run(client, name="nope")["packages"] == []


def test_dependencies_from_children():
    client = make_client()
    result = run(client, include_dependencies=True, status=["PUBLISHED"])
    posts = [c for c in client.calls_log if c[0] == "POST"]
    # the FULL package lists no artifacts: no request for it
    assert posts == [("POST", "%s/packages/%032x/children" % (EXIM, 2), [dict(id="a2", type="REGISTRY_SCHEMA")])]
    deps = dict((p["name"], p["dependencies"]) for p in result["packages"])
    assert deps["p2"][0]["children"][0]["type"] == "REGISTRY_CLASS" and deps["p4"] == []


@pytest.mark.parametrize("kw,option", [
    (dict(id="xyz"), "id"),
    (dict(created_after="yesterday"), "created_after"),
    (dict(created_after="2026-02-01T00:00:00Z", created_before="2026-01-01T00:00:00Z"), "created_before"),
])
def test_bad_input_before_any_request(kw, option):
    client = make_client()
    with pytest.raises(AepValidationError) as e:
        run(client, **kw)
    assert e.value.option == option and client.calls_log == []
