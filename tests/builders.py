"""Fixture registers built in code: the builder lives in the package
(`sheetkit.testing.builders`, shared with workbooks/make_samples.py, bench/generate.py and
the corpus); this module keeps the tests' ``from builders import …`` working.

    path = write_register(tmp_path / "r.xlsx", clean_register())   # a real workbook
    register = register_of(clean_register())                        # in memory
"""

from sheetkit.testing.builders import *  # noqa: F401,F403
from sheetkit.testing.builders import __all__  # noqa: F401
