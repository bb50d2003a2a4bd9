import pytest


@pytest.fixture
def tay_ninh(db):
    """The demo province's agencies and users only (no regulations): an empty regulation library."""
    from portal import demo

    return demo.load()
