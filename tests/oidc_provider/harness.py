"""The test's side of the provider: its state folder (signing key, directory.json, the clients' registered
certificates), its process."""

import datetime
import json
import socket
import subprocess
import sys
import time

import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from tests.conftest import ROOT

ALICE = {"email": "alice@example.com", "given_name": "Alice", "family_name": "Peeters",
         "preferred_username": "alice@example.com", "locale": "nl-BE", "roles": ["PMO.ProjectManager"]}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def new_key_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


def new_certificate_pem(key_pem: str, common_name: str = "PMO OIDC client") -> str:
    """A self-signed certificate for the key, like the README's `openssl req -x509`."""
    key = serialization.load_pem_private_key(key_pem.encode(), password=None)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
                   .not_valid_after(now + datetime.timedelta(days=365)).sign(key, hashes.SHA256()))
    return certificate.public_bytes(serialization.Encoding.PEM).decode()


class Provider:
    def __init__(self, state, live_server_url):
        self.state, self.port = state, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.redirect_uri = f"{live_server_url}/accounts/oidc/callback/"
        self.directory = {"users": {"alice": dict(ALICE)}, "tamper": None}
        self.save()
        (state / "key.pem").write_text(new_key_pem())
        self.popen = None

    def save(self):
        (self.state / "directory.json").write_text(json.dumps(self.directory))

    def start(self):
        self.popen = subprocess.Popen(
            [sys.executable, "-m", "tests.oidc_provider.run", str(self.port), self.redirect_uri], cwd=ROOT,
            env={"PROVIDER_STATE": str(self.state), "PATH": "/usr/bin:/bin"},
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for _ in range(200):
            try:
                if requests.get(f"{self.url}/o/.well-known/openid-configuration", timeout=1).ok:
                    return
            except requests.ConnectionError:
                time.sleep(0.1)
        self.stop()
        raise AssertionError(f"the provider did not start:\n{self.popen.stdout.read()}")

    def stop(self):
        if self.popen and self.popen.poll() is None:
            self.popen.terminate()
            self.popen.wait(10)

    def register_certificate(self, certificate_pem: str, client_id: str = "pmo"):
        """The upload of a certificate credential in the client's app registration (client_assertions.py)."""
        (self.state / f"client-{client_id}.crt").write_text(certificate_pem)

    def access_token(self, client_id="pmo-sync", **data) -> str:
        """An access token from the provider's real token endpoint (client credentials unless `data` says
        otherwise), the client authenticating with its secret as Entra's confidential clients do."""
        response = requests.post(f"{self.url}/o/token/", data={"grant_type": "client_credentials", **data},
                                 auth=(client_id, "pmo-secret"), timeout=10)
        assert response.status_code == 200, response.text
        return response.json()["access_token"]
