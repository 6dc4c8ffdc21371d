import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from builders import AS_OF, clean_register, write_register  # noqa: E402


@pytest.fixture
def clean(tmp_path):
    """A path to a clean one-institution register workbook."""
    return write_register(tmp_path / "register.xlsx", clean_register())


@pytest.fixture
def as_of():
    return AS_OF


@pytest.fixture(autouse=True)
def _private_read_cache(tmp_path_factory, monkeypatch):
    """`validate` caches reads by default: give every test its own empty cache folder."""
    monkeypatch.setenv("SHEETKIT_CACHE_DIR", str(tmp_path_factory.mktemp("sheetkit-cache")))
