"""Registers built in code, for the tests, the sample workbooks, the bench and the
bad-input corpus (`sheetkit.testing.builders`). Nothing here is used by `sheetkit` itself."""
