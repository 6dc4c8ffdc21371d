"""Fixtures of the letters tests (the registers themselves: `letters_fixture.py`)."""

from __future__ import annotations

import pytest
from builders import AS_OF, write_register
from letters_fixture import letters_register


@pytest.fixture
def register_path(tmp_path):
    return write_register(tmp_path / "register.xlsx", letters_register())


@pytest.fixture
def as_of():
    return AS_OF
