"""Read files and folders of any supported format into one Batch of records."""

from __future__ import annotations

import json
import json.scanner
from pathlib import Path

from loaders.csv_format import read_csv
from loaders.records import Batch, Origin, Problem
from loaders.yaml_format import LINE_KEY, read_document, read_yaml

FORMATS = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".csv": "csv"}
MAX_FILE_BYTES = 50 * 1024 * 1024
RESERVED_KEYS = (LINE_KEY, "__item__", "__existing__", "__name__")


def read_paths(paths: list[Path]) -> Batch:
    """Every record in `paths` (files, or folders searched recursively for data files)."""
    batch = Batch()
    for path in paths:
        path = Path(path)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.suffix.lower() in FORMATS and p.is_file())
            if not files:
                batch.problems.append(Problem(Origin(str(path)), None,
                                              "no .yaml, .json or .csv files in this folder"))
            for file in files:
                batch.extend(read_file(file))
        else:
            batch.extend(read_file(path))
    return batch


def read_file(path: Path) -> Batch:
    """Records from one file, dispatched on its extension."""
    batch = Batch()
    kind = FORMATS.get(path.suffix.lower())
    if not path.exists():
        batch.problems.append(Problem(Origin(str(path)), None, "no such file or folder"))
        return batch
    if kind is None:
        batch.problems.append(Problem(Origin(str(path)), None,
                                      f"unsupported file type {path.suffix or '(none)'}",
                                      "Use .yaml, .json or .csv (see the README's import formats)."))
        return batch
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        limit_mb = MAX_FILE_BYTES // 2**20
        batch.problems.append(Problem(Origin(str(path)), None,
                                      f"file is {size / 1e6:.0f} MB, over the {limit_mb} MB limit",
                                      "Split it into several files."))
        return batch
    try:
        if kind == "yaml":
            return read_yaml(path)
        if kind == "csv":
            return read_csv(path)
        return _read_json(path)
    except OSError as exc:
        batch.problems.append(Problem(Origin(str(path)), None, f"cannot read: {exc.strerror}"))
        return batch


def _read_json(path: Path) -> Batch:
    """JSON of the same shape as the YAML format; places are given as `nodes[3]`."""
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8")
        document = json.loads(text, object_pairs_hook=_without_reserved)
    except UnicodeDecodeError as exc:
        return Batch(problems=[Problem(Origin(file), None, f"not UTF-8 text ({exc.reason})")])
    except _DuplicateJsonKey as exc:
        return Batch(problems=[Problem(Origin(file, _duplicate_line(text, exc.key)), None,
                                       f"the key {exc.key!r} is given twice in one object; "
                                       "only one value can be kept",
                                       "Keep one of them (for several values, give a list).")])
    except json.JSONDecodeError as exc:
        return Batch(problems=[Problem(Origin(file, exc.lineno), None, f"not valid JSON: {exc.msg}")])
    except RecursionError:
        return Batch(problems=[Problem(Origin(file), None, "nested too deeply to read",
                                       "Keep lists and objects under 100 levels deep.")])
    if isinstance(document, dict):
        for key in ("nodes", "relationships"):
            items = document.get(key)
            if isinstance(items, list):
                for index, item in enumerate(items):
                    if isinstance(item, dict):
                        item["__item__"] = f"{key}[{index}]"
    batch = read_document(document, file)
    for record in [*batch.nodes, *batch.relationships]:
        item = record.properties.pop("__item__", None)
        if item:
            record.origin = Origin(file, item=item)
    return batch


class _DuplicateJsonKey(ValueError):
    def __init__(self, key: str, position: int | None = None) -> None:
        super().__init__(key)
        self.key, self.position = key, position


def _without_reserved(pairs: list[tuple[str, object]]) -> dict[str, object]:
    """A JSON object without the keys the reader uses for places (`__line__`, `__item__`):
    a file that sets them must not choose (or break) the place an error is reported at.
    A key given twice is refused (json keeps the last value silently)."""
    mapping = {key: value for key, value in pairs if key not in RESERVED_KEYS}
    if len(mapping) + sum(key in RESERVED_KEYS for key, _ in pairs) < len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateJsonKey(key)
            seen.add(key)
    return mapping


def _duplicate_line(text: str, key: str) -> int | None:
    """The line of the object that gives `key` twice. The fast C parser gives no places, so
    the file is parsed again (only on this error path) by the Python scanner, whose object
    parser knows where each object starts."""
    decoder = json.JSONDecoder()
    original = json.decoder.JSONObject

    def parse_object(s_and_end, *args, **kwargs):
        text_, start = s_and_end

        def check(pairs):
            keys = [k for k, _ in pairs]
            if len(set(keys)) < len(keys) and key in keys and keys.count(key) > 1:
                raise _DuplicateJsonKey(key, start)
            return dict(pairs)

        args = list(args)
        return original(s_and_end, args[0], args[1], None, check, *args[4:], **kwargs)

    decoder.parse_object = parse_object
    decoder.scan_once = json.scanner.py_make_scanner(decoder)
    try:
        decoder.decode(text)
    except _DuplicateJsonKey as exc:
        return text.count("\n", 0, exc.position) + 1 if exc.position is not None else None
    except (ValueError, RecursionError):
        return None
    return None
