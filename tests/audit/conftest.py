from tests.web.conftest import browser_as

__all__ = ["browser_as"]  # fixtures
