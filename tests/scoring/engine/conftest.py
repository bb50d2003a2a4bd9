"""Engine fixtures: the shipped library files read without a database."""

from pathlib import Path

import pytest

from scoring.libraryio import read_yaml

LIBRARY = Path(__file__).resolve().parents[3] / "scoring" / "library"


def library_spec(name: str):
    return read_yaml((LIBRARY / name).read_bytes()).spec


@pytest.fixture(scope="session")
def spec_731():
    return library_spec("tay-ninh-731-2019.yaml")


@pytest.fixture(scope="session")
def spec_dvk():
    return library_spec("dan-van-kheo-2024.yaml")
