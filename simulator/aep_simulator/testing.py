"""Helpers for tests.

``with running_simulator() as url: ...`` starts the simulator on a free loopback port in a background
thread, yields its base URL (``http://127.0.0.1:PORT``) and stops it afterwards.
``running_server()`` does the same but yields the :class:`~aep_simulator.cli.Server` object
(``.url``, ``.port``, ``.app``, ``.app.config["SIM_STATE"]``).
"""
import contextlib

from .cli import Server


@contextlib.contextmanager
def running_server(state_path=None, faults=None, job_delay=None, host="127.0.0.1", port=0,
                   tls_cert=None, tls_key=None, quiet=True):
    srv = Server(host, port, state_path, faults, job_delay, tls_cert, tls_key, quiet=quiet).start()
    try:
        yield srv
    finally:
        srv.stop()


@contextlib.contextmanager
def running_simulator(state_path=None, **opts):
    """Yield the base URL of a running simulator. ``opts``: faults, job_delay, host, port,
    tls_cert, tls_key, quiet."""
    with running_server(state_path, **opts) as srv:
        yield srv.url
