"""Make ``ansible-test ... --venv`` work on machines that cannot reach ci-files.testing.ansible.com.

ansible-test bootstraps pip into every virtual environment it creates with a
``get-pip.py`` script downloaded from
``https://ci-files.testing.ansible.com/ansible-test/get-pip-<pip version>.py``.
Before downloading it, it looks for a cached copy at
``~/.ansible/test/cache/get_pip_<pip version with dots replaced by underscores>.py``
(see ``ansible_test/_util/target/setup/requirements.py``, function ``bootstrap``).

This script, run with the Python that has ansible-test installed:

* finds the pip version ansible-test wants (``get_venv_packages()`` in
  ``ansible_test/_internal/python_requirements.py``);
* tries to download the real script for a few seconds; if that works it is
  stored in the cache, exactly as ansible-test itself would do (stock
  behaviour; a stand-in left by an earlier offline run is replaced);
* only if the download fails, writes a small stand-in to the cache path that
  runs ``ensurepip`` and then ``pip install`` of the arguments ansible-test
  passes (``pip==<version>`` and pip options), using the machine's normal pip
  configuration (index, find-links, certificates).

A real script already in the cache is left alone.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
import types
import urllib.request

MARKER = '# aep.platform get-pip stand-in'
URL = 'https://ci-files.testing.ansible.com/ansible-test/get-pip-{version}.py'
CACHE = '~/.ansible/test/cache/get_pip_{version}.py'

STAND_IN = '''\
{marker}
# Written by hack/ansible_test_get_pip.py because {url} could not be fetched.
# ansible-test runs this file in place of get-pip.py with the arguments
# "--disable-pip-version-check pip==X.Y --no-setuptools --no-wheel".
# Delete it to make ansible-test download the real script again.
import os
import subprocess
import sys

args = [arg for arg in sys.argv[1:] if arg not in ('--no-setuptools', '--no-wheel', '--no-pip')]

# ensurepip installs the pip wheel bundled with this Python, with no network.
# Run it in a child process: ensurepip sets PIP_CONFIG_FILE=/dev/null in its
# environment, which would hide the machine's index configuration from pip.
subprocess.check_call([sys.executable, '-m', 'ensurepip', '--upgrade', '--default-pip'])

env = dict(os.environ)
if env.get('PIP_CONFIG_FILE') == os.devnull:
    del env['PIP_CONFIG_FILE']

if args:
    subprocess.check_call([sys.executable, '-m', 'pip', 'install', '--upgrade'] + args, env=env)
'''


def pip_version() -> str:
    """Return the pip version that the installed ansible-test bootstraps into its virtual environments."""
    try:
        from ansible_test._internal.python_requirements import get_venv_packages

        python = types.SimpleNamespace(version='%d.%d' % sys.version_info[:2])
        return get_venv_packages(python)['pip']  # type: ignore[arg-type]
    except Exception:  # pylint: disable=broad-except
        pass

    import ansible_test  # fallback: read the default from the source

    path = os.path.join(os.path.dirname(ansible_test.__file__), '_internal', 'python_requirements.py')
    with open(path, encoding='utf-8') as source:
        match = re.search(r"pip='([^']+)'", source.read())
    if not match:
        raise SystemExit('cannot find the pip version ansible-test wants in %s' % path)
    return match.group(1)


def write_atomic(path: str, data: bytes) -> None:
    directory = os.path.dirname(path)
    os.makedirs(directory, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix='.get_pip-')
    try:
        with os.fdopen(fd, 'wb') as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def main() -> int:
    timeout = float(os.environ.get('GET_PIP_TIMEOUT', '5'))
    version = pip_version()
    url = os.environ.get('GET_PIP_URL', URL).format(version=version)  # override: for testing this script
    cache_path = os.path.expanduser(CACHE.format(version=version.replace('.', '_')))

    existing = None
    if os.path.exists(cache_path):
        with open(cache_path, 'rb') as handle:
            existing = handle.read()
        if not existing.startswith(MARKER.encode()):
            print('get-pip: using the cached real bootstrap script %s' % cache_path)
            return 0

    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # nosec - fixed https URL
            data = response.read()
        if not data:
            raise ValueError('empty answer')
    except Exception as ex:  # pylint: disable=broad-except
        if existing is not None:
            print('get-pip: %s unreachable (%s); keeping the stand-in %s' % (url, ex, cache_path))
        else:
            write_atomic(cache_path, STAND_IN.format(marker=MARKER, url=url).encode())
            print('get-pip: %s unreachable (%s); wrote an ensurepip stand-in to %s' % (url, ex, cache_path))
        return 0

    write_atomic(cache_path, data)
    print('get-pip: downloaded %s to %s' % (url, cache_path))
    return 0


if __name__ == '__main__':
    sys.exit(main())
