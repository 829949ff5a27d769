"""Passwords are stored as argon2id hashes at the library's defaults (RFC 9106's second
recommendation, 64 MiB of memory): the tests in this process hash cheaply (tests/conftest.py),
the app never does."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import PRODUCTION_HASHER


def test_the_app_hashes_with_argon2id_at_64_mib():
    stored = PRODUCTION_HASHER.hash("correct horse battery")
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert PRODUCTION_HASHER.verify(stored, "correct horse battery")


def test_a_fresh_process_hashes_as_production_does():
    """The hasher the app's own processes use, not one a test left behind."""
    code = "from workflow.org.operations import hash_password; print(hash_password('x' * 12))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
