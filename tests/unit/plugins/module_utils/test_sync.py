# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.aep.platform.plugins.module_utils.sync import converge, differences, normalize, remove


def test_unordered_lists_compare_equal():
    assert normalize([{"id": "b"}, {"id": "a"}]) == normalize([{"id": "a"}, {"id": "b"}])


def test_only_user_set_keys_are_compared():
    assert differences({"name": "x", "description": None}, {"name": "x", "description": "server"}) == []
    assert differences({"description": "new"}, {"description": "old"}) == ["description"]


def test_converge_create_update_noop_and_check_mode():
    calls = []

    def create(desired):
        calls.append("create")
        return dict(desired, id="1")

    def update(current, keys):
        calls.append(("update", keys))
        return dict(current, description="new")

    changed, obj, diff = converge(None, {"name": "a"}, create, update, check_mode=False)
    assert changed and obj["id"] == "1" and diff == {"before": {}, "after": {"name": "a"}}

    changed, obj, diff = converge({"id": "1", "name": "a", "description": "old"}, {"name": "a", "description": "new"},
                                  create, update, check_mode=True)
    assert changed and obj["description"] == "new" and diff["before"]["description"] == "old"

    changed, obj, dummy = converge({"id": "1", "name": "a"}, {"name": "a"}, create, update, check_mode=False)
    assert not changed and obj["id"] == "1"
    assert calls == ["create"]  # check mode and no-op called nothing


def test_remove():
    deleted = []
    assert remove(None, deleted.append, False)[0] is False
    assert remove({"id": "1"}, deleted.append, True)[0] is True and deleted == []
    assert remove({"id": "1"}, deleted.append, False)[0] is True and deleted == [{"id": "1"}]
