"""The tests find the shared reference data honestly: where it is said to be, and a missing
file fails the run in CI instead of skipping the tests that need it."""

from pathlib import Path

import pytest
from django.conf import settings

from .shared_data import shared_data_dir, shared_file


def test_the_default_is_shared_data_beside_the_repository(monkeypatch):
    monkeypatch.delenv("HJULET_SHARED_DATA", raising=False)
    assert shared_data_dir() == Path(settings.BASE_DIR).parent / "shared" / "data"


def test_the_environment_names_another_folder(monkeypatch, tmp_path):
    (tmp_path / "a.csv").write_text("x")
    monkeypatch.setenv("HJULET_SHARED_DATA", str(tmp_path))
    assert shared_file("a.csv") == tmp_path / "a.csv"


def test_a_missing_file_fails_in_ci(monkeypatch, tmp_path):
    monkeypatch.setenv("HJULET_SHARED_DATA", str(tmp_path))
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="HJULET_SHARED_DATA"):
        shared_file("participedia-cases-sample.csv")


def test_a_missing_file_skips_outside_ci(monkeypatch, tmp_path):
    monkeypatch.setenv("HJULET_SHARED_DATA", str(tmp_path))
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="is missing"):
        shared_file("participedia-cases-sample.csv")
