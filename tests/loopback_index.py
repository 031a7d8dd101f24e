"""A PEP 503 simple package index on loopback, and the wheels and sdists it serves.

Tests build real distributions by hand (a wheel is a zip with a ``.dist-info`` folder:
METADATA, WHEEL, RECORD with each file's hash, entry_points.txt for console scripts; an
sdist is a ``.tar.gz`` with PKG-INFO) and serve them from a thread on 127.0.0.1 at a
random port, over HTTP or, with a self-signed certificate, HTTPS.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import html
import io
import ipaddress
import re
import ssl
import tarfile
import threading
import zipfile
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def build_wheel(
    name: str,
    version: str,
    files: Mapping[str, str],
    *,
    requires: tuple[str, ...] = (),
    console_scripts: Mapping[str, str] | None = None,
) -> tuple[str, bytes]:
    """A pure-Python wheel (``py3-none-any``): its file name and bytes."""
    dist = f"{name.replace('-', '_')}-{version}"
    info = f"{dist}.dist-info"
    metadata = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
    metadata += "".join(f"Requires-Dist: {r}\n" for r in requires)
    entries = dict(files)
    entries[f"{info}/METADATA"] = metadata
    entries[f"{info}/WHEEL"] = (
        "Wheel-Version: 1.0\nGenerator: mcp-trust-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    )
    if console_scripts:
        lines = "".join(f"{script} = {target}\n" for script, target in console_scripts.items())
        entries[f"{info}/entry_points.txt"] = f"[console_scripts]\n{lines}"
    record = []
    for path, text in entries.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=").decode()
        record.append(f"{path},sha256={digest},{len(text.encode())}")
    entries[f"{info}/RECORD"] = "\n".join([*record, f"{info}/RECORD,,"]) + "\n"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for path, text in entries.items():
            zf.writestr(path, text)
    return f"{dist}-py3-none-any.whl", buf.getvalue()


def build_sdist(name: str, version: str, files: Mapping[str, str]) -> tuple[str, bytes]:
    """A source distribution (``.tar.gz`` with PKG-INFO): its file name and bytes."""
    top = f"{name.replace('-', '_')}-{version}"
    entries = {"PKG-INFO": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", **files}
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for path, text in entries.items():
            data = text.encode()
            member = tarfile.TarInfo(f"{top}/{path}")
            member.size = len(data)
            tar.addfile(member, io.BytesIO(data))
    return f"{top}.tar.gz", buf.getvalue()


def project_of(filename: str) -> str:
    """The normalised project name a wheel or sdist file name belongs to."""
    return normalise(filename.split("-", 1)[0])


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 (its own CA) and its key, as PEM files in ``folder``."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "loopback test index")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "index-cert.pem", folder / "index-key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


class LoopbackIndex:
    """Serves ``files`` (file name -> bytes) as a PEP 503 index: ``/simple/<project>/``
    pages linking ``/files/<name>#sha256=...``. ``requests`` records every path asked for."""

    def __init__(self, files: Mapping[str, bytes], tls: tuple[Path, Path] | None = None) -> None:
        self.files = dict(files)
        self.requests: list[str] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        if tls is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(str(tls[0]), str(tls[1]))
            self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
        scheme = "https" if tls else "http"
        self.url = f"{scheme}://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> LoopbackIndex:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)

    def page(self, project: str) -> bytes | None:
        names = [n for n in sorted(self.files) if project_of(n) == normalise(project)]
        if not names:
            return None
        links = "".join(
            f'<a href="/files/{html.escape(n)}#sha256={hashlib.sha256(self.files[n]).hexdigest()}">'
            f"{html.escape(n)}</a>\n"
            for n in names
        )
        return f"<!DOCTYPE html><html><body>\n{links}</body></html>\n".encode()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        index = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                index.requests.append(self.path)
                parts = [p for p in self.path.split("?", 1)[0].split("/") if p]
                body: bytes | None = None
                kind = "application/octet-stream"
                if len(parts) == 2 and parts[0] == "simple":
                    body, kind = index.page(parts[1]), "text/html"
                elif len(parts) == 2 and parts[0] == "files":
                    body = index.files.get(parts[1])
                if body is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                return None

        return Handler
