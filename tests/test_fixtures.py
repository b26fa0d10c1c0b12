"""Every fixture case of every rule: wasmlint's output equals expected.txt."""
import pytest

from tests.fixture_harness import all_cases, check_case


@pytest.mark.parametrize("case", all_cases(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixture(case, tmp_path):
    check_case(case, tmp_path)
