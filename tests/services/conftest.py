"""The services over the store on both engines (the store's fixture)."""

from tests.store.conftest import Store, store

__all__ = ["Store", "store"]
