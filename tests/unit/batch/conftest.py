"""The batch tests' fast stand-in for the analysis (tests/fixtures/fake_batch.py)."""

from tests.fixtures.fake_batch import fake_runs  # noqa: F401  # a fixture
