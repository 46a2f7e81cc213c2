"""The client against both readings of the reference.

Every integration test runs twice: against the demo PBX's default variant (the plausible
reading of the pascom reference) and against its `reference` variant (answers exactly as
the reference's own examples do). docs/pbx-assumptions.md lists where the two differ.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from companion.simulator import Simulator
from tests.conftest import REST_PASSWORD, REST_USER


@pytest.fixture(params=["default", "reference"])
def sim(request: pytest.FixtureRequest) -> Iterator[Simulator]:
    with Simulator.start(
        rest_user=REST_USER, rest_password=REST_PASSWORD, variant=request.param
    ) as simulator:
        yield simulator
