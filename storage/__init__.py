"""SQLite storage of the facts and the bot's state. Knows nothing of Telegram."""

from storage.base import StoreError
from storage.store import Store

__all__ = ["Store", "StoreError"]
