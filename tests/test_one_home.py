"""One home per rule (issue 17): each rule is defined in one module, and the others use it."""

from __future__ import annotations

import importlib

from typer.testing import CliRunner

from api.app import create_app
from cli.main import app as cli_app
from graph.export_formats import EXPORT_FORMATS, FORMATS


# -- the export registry -------------------------------------------------------------------------
def test_every_export_format_has_a_writer_that_resolves():
    for fmt in EXPORT_FORMATS.values():
        module, function = fmt.writer.split(":")
        assert callable(getattr(importlib.import_module(module), function)), fmt.name
        assert fmt.suffix.startswith(".") and "/" in fmt.media_type


def test_the_cli_and_the_api_offer_the_registry_formats():
    from cli.analysis import ExportFormat

    assert tuple(f.value for f in ExportFormat) == FORMATS
    refused = CliRunner().invoke(cli_app, ["export", "--format", "png", "--out", "x"])
    assert refused.exit_code == 2 and all(name in refused.output for name in FORMATS)
    spec = create_app().openapi()["paths"]["/api/export"]["get"]
    pattern = next(p for p in spec["parameters"] if p["name"] == "format")["schema"]["pattern"]
    assert pattern == "^(" + "|".join(FORMATS) + ")$"
