"""The bundled dataset's nodes kept between runs (loaders/dataset_cache.py): the same nodes as
reading the files, never a stale copy after a file changes, and a broken cache passed over."""

from __future__ import annotations

from loaders.aliases import DATA_DIR, dataset_nodes
from loaders.dataset_cache import cache_dir, cached_nodes
from loaders.read import read_paths


def _reader(folder, calls):
    def read():
        calls.append(1)
        batch = read_paths([folder])
        return [(n.id, n.label, n.properties) for n in batch.nodes]
    return read


def _folder(tmp_path, name="Bộ Tài chính"):
    folder = tmp_path / "data"
    folder.mkdir(exist_ok=True)
    (folder / "agencies.yaml").write_text(
        f"nodes:\n  - {{label: Agency, id: btc, name: {name}, sources: [s1]}}\n"
        "  - {label: Source, id: s1, title: T, kind: notice}\n", "utf-8")
    return folder


def test_the_second_run_reads_the_cache_and_a_changed_file_is_read_again(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder, calls = _folder(tmp_path), []
    first = cached_nodes(folder, _reader(folder, calls))
    assert cached_nodes(folder, _reader(folder, calls)) == first
    assert len(calls) == 1, "the second run read the files again"
    _folder(tmp_path, name="Bộ Tài chính (mới)")
    changed = cached_nodes(folder, _reader(folder, calls))
    assert len(calls) == 2 and changed != first
    assert dict((i, p["name"]) for i, _, p in changed if p.get("name"))["btc"] == "Bộ Tài chính (mới)"
    assert len(list(cache_dir().glob("dataset-*.json"))) == 1, "the stale copy was kept"


def test_a_broken_cache_is_passed_over(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder, calls = _folder(tmp_path), []
    first = cached_nodes(folder, _reader(folder, calls))
    for kept in cache_dir().glob("dataset-*.json"):
        kept.write_text("[[\"btc\", ", "utf-8")
    assert cached_nodes(folder, _reader(folder, calls)) == first
    assert len(calls) == 2


def test_the_bundled_nodes_from_the_cache_are_those_of_the_files(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    dataset_nodes.cache_clear()
    try:
        cold = dataset_nodes(str(DATA_DIR))
        dataset_nodes.cache_clear()
        warm = dataset_nodes(str(DATA_DIR))
    finally:
        dataset_nodes.cache_clear()
    batch = read_paths([DATA_DIR])
    files = tuple((n.id, n.label, n.properties) for n in batch.nodes
                  if isinstance(n.id, str) and isinstance(n.label, str))
    assert cold == files and warm == files
    assert list(cache_dir().glob("dataset-*.json"))
