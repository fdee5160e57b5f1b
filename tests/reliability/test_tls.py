# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aep.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""TLS: the simulator on HTTPS with a self-signed certificate for 127.0.0.1."""

from __future__ import absolute_import, division, print_function

import datetime
import ipaddress

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


def _self_signed(directory):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, u"127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(u"127.0.0.1")),
                                                        x509.DNSName(u"localhost")]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path = directory / "sim-cert.pem"
    key_path = directory / "sim-key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                           serialization.NoEncryption()))
    return str(cert_path), str(key_path)


def _task(run, name):
    recs = [r for r in run.records if r["task"] == name and not r["item"]]
    assert recs, "task %r did not run:\n%s" % (name, run.explain())
    return recs[0]


def test_self_signed_certificate(tmp_path, playbook, simulator, report):
    cert, key = _self_signed(tmp_path)
    with simulator(tls=(cert, key)) as sim:
        assert sim.url.startswith("https://")
        run = playbook("tls.yml", sim, env={"REL_CA_PATH": cert})
    assert run.rc == 0, run.explain()
    default = _task(run, "Default TLS settings against a self-signed certificate")
    with_ca = _task(run, "The same with auth.ca_path")
    insecure = _task(run, "The same with validate_certs false")
    target_default = _task(run, "Default TLS settings for the Target profile read")
    target_ca = _task(run, "Target profile read with ca_path")
    msg = default["result"].get("msg") or ""
    warnings = insecure["result"].get("warnings") or []
    default_ok = default["status"] == "failed" and "certificate" in msg.lower() and "ca_path" in msg
    report.row("tls", "default settings, simulator on HTTPS with a self-signed certificate",
               "task failed: %s; no request reached the server: %s; message: %s" % (
                   default["status"] == "failed", not default["requests"], msg[:240]), passed=default_ok)
    report.row("tls", "auth.ca_path = the self-signed certificate",
               "task %s; requests served over HTTPS: %d" % (with_ca["status"], len(with_ca["requests"] or [])),
               passed=with_ca["status"] == "ok")
    report.row("tls", "auth.validate_certs: false",
               "task %s; warnings: %s" % (insecure["status"], "; ".join(warnings) or "none"),
               passed=insecure["status"] == "ok" and any("validate_certs" in w for w in warnings))
    tmsg = target_default["result"].get("msg") or ""
    report.row("tls", "aep_target_profile_info (own TLS options): default, then ca_path",
               "default: task %s (%s); with ca_path: task %s" % (target_default["status"], tmsg[:160],
                                                                 target_ca["status"]),
               passed=target_default["status"] == "failed" and "certificate" in tmsg.lower()
               and target_ca["status"] == "ok")
    assert default_ok, msg
    assert with_ca["status"] == "ok"
    assert insecure["status"] == "ok" and any("validate_certs" in w for w in warnings), warnings
    assert target_default["status"] == "failed" and "certificate" in tmsg.lower(), tmsg
    assert target_ca["status"] == "ok", target_ca["result"].get("msg")
