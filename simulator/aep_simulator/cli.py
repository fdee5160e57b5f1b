"""Console script: ``aep-simulator --host 127.0.0.1 --port N --state FILE [--faults SPEC]``."""
import argparse
import signal
import sys
import threading

from werkzeug.serving import WSGIRequestHandler, make_server

from .app import create_app
from .faults import Faults, FaultSpecError
from .state import State, StateError, default_state_path, load_state_file


def build_parser():
    p = argparse.ArgumentParser(prog="aep-simulator", description="Simulated Adobe Experience Platform APIs")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0, help="0 picks a free port (printed on stdout)")
    p.add_argument("--state", default=None, help="state YAML file (default: the bundled demo state)")
    p.add_argument("--faults", default=None, help="fault spec: JSON string or path to a JSON/YAML file")
    p.add_argument("--job-delay", type=float, default=None,
                   help="seconds every publish/import/transfer takes (overrides settings.delays)")
    p.add_argument("--tls-cert", default=None)
    p.add_argument("--tls-key", default=None)
    p.add_argument("--port-file", default=None, help="write the bound port to this file")
    p.add_argument("--quiet", action="store_true", help="no access log on stderr")
    return p


class QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):
        pass


class Server:
    """A running simulator (werkzeug threaded server) in a background thread."""

    def __init__(self, host="127.0.0.1", port=0, state=None, faults=None, job_delay=None,
                 tls_cert=None, tls_key=None, quiet=False):
        st = State(load_state_file(state or default_state_path()), job_delay=job_delay)
        self.app = create_app(st, Faults(faults))
        ssl_context = (tls_cert, tls_key) if tls_cert else None
        self.server = make_server(host, port, self.app, threaded=True, ssl_context=ssl_context,
                                  request_handler=QuietHandler if quiet else None)
        self.server.daemon_threads = True
        self.host = host
        self.port = self.server.socket.getsockname()[1]
        self.scheme = "https" if ssl_context else "http"
        self.thread = None

    @property
    def url(self):
        host = self.host if self.host not in ("0.0.0.0", "::") else "127.0.0.1"
        return "%s://%s:%d" % (self.scheme, host, self.port)

    def start(self):
        self.thread = threading.Thread(target=self.server.serve_forever, name="aep-simulator", daemon=True)
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        if self.thread:
            self.thread.join(5)


def main(argv=None):
    args = build_parser().parse_args(argv)
    if bool(args.tls_cert) != bool(args.tls_key):
        print("aep-simulator: --tls-cert and --tls-key go together", file=sys.stderr)
        return 2
    try:
        srv = Server(args.host, args.port, args.state, args.faults, args.job_delay, args.tls_cert, args.tls_key,
                     quiet=args.quiet)
    except (OSError, StateError, FaultSpecError, KeyError, ValueError) as exc:
        print("aep-simulator: %s" % exc, file=sys.stderr)
        return 2
    if args.port_file:
        with open(args.port_file, "w") as fh:
            fh.write("%d\n" % srv.port)
    print("aep-simulator listening on %s://%s:%d" % (srv.scheme, args.host, srv.port), flush=True)

    def on_term(signum, frame):
        threading.Thread(target=srv.server.shutdown, daemon=True).start()
    signal.signal(signal.SIGTERM, on_term)
    try:
        srv.server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        srv.server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
