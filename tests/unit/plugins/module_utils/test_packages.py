# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.aep.platform.plugins.module_utils.errors import AepValidationError
from ansible_collections.aep.platform.plugins.module_utils.packages import artifact_failures, validate_id


def test_failures_found_inside_a_success_job():
    job = {"jobStatus": "SUCCESS", "completedTasks": [
        {"taskStatus": "SUCCESS", "artifact": {"id": "a", "type": "REGISTRY_SCHEMA", "messages": [
            {"status": "CREATED", "message": "Created"}]}},
        {"taskStatus": "SUCCESS", "artifact": {"id": "b", "type": "PROFILE_SEGMENT", "title": "VIP", "messages": [
            {"status": "ERROR", "message": "Missing permission Segment write"}]}},
        {"taskStatus": "FAILED", "artifact": {"id": "c", "type": "JOURNEY"}},
    ]}
    failures = artifact_failures(job)
    assert [(f["id"], f["status"]) for f in failures] == [("b", "ERROR"), ("c", "FAILED")]
    assert failures[0]["message"] == "Missing permission Segment write" and failures[0]["title"] == "VIP"


def test_no_failures_in_clean_job():
    assert artifact_failures({"completedTasks": [{"taskStatus": "SUCCESS", "artifact": {"messages": [
        {"status": "FOUND"}, {"status": "NO_CHANGE"}]}}]}) == []
    assert artifact_failures(None) == []


@pytest.mark.parametrize("value", ["abc", "209f886b00444eac9bb5836fe32e768", "z09f886b00444eac9bb5836fe32e7681"])
def test_bad_ids(value):
    with pytest.raises(AepValidationError) as e:
        validate_id(value, "id")
    assert e.value.option == "id"


def test_good_id():
    assert validate_id("209f886b00444eac9bb5836fe32e7681", "id") == "209f886b00444eac9bb5836fe32e7681"
