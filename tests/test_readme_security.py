"""The README's security section lists every limit with its setting and the security headers
(issue 29): a new setting fails here until it is documented there, or said not to be a limit."""

from __future__ import annotations

import re
from pathlib import Path

from api.headers import FIXED, POLICY
from graph.settings import Settings
from loaders.documents import MAX_WORD_XML_BYTES
from loaders.extract import MAX_TEXT_CHARS
from queries import MAX_DAYS, REQUEST_DATES

README = Path(__file__).resolve().parents[1] / "README.md"
# settings that bound nothing a client can spend: where things are, names, how data is written
NOT_LIMITS = {"home", "graph", "host", "port", "batch_size", "home_summary_tasks",
              "neo4j_uri", "neo4j_user", "neo4j_password", "neo4j_database"}


def security_section() -> str:
    text = README.read_text(encoding="utf-8")
    found = re.search(r"^## Security and deployment\n(.*?)^## ", text, re.DOTALL | re.MULTILINE)
    assert found, "README has a section '## Security and deployment'"
    return found.group(1)


def test_every_limit_setting_is_in_the_security_section():
    section = security_section()
    limits = sorted(set(Settings.model_fields) - NOT_LIMITS)
    missing = [f"POLICYGRAPH_{name.upper()}" for name in limits
               if f"POLICYGRAPH_{name.upper()}" not in section]
    assert missing == []


def test_the_security_headers_and_the_request_bounds_are_in_it():
    section = security_section()
    for header, value in FIXED.items():
        assert re.search(rf"`{header}: {value}`", section, re.IGNORECASE), header
    assert "Content-Security-Policy" in section
    for directive, sources in POLICY.items():
        assert f"{directive} {sources}" in section, directive
    first, last = REQUEST_DATES
    assert f"{first} to {last}" in section
    assert f"0 to {MAX_DAYS}" in section
    assert f"{MAX_TEXT_CHARS:,} characters (`loaders.extract.MAX_TEXT_CHARS`)" in section
    assert f"{MAX_WORD_XML_BYTES // 2**20} MB (`loaders.documents.MAX_WORD_XML_BYTES`" in section
