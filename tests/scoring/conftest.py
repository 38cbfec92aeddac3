"""Shared fixture: 1,200 synthetic closed leads (see scoring_leads.py)."""

import pytest
from scoring_leads import make_leads


@pytest.fixture(scope="session")
def leads():
    return make_leads()
