"""Articles in: reading files and pages into plain text with their title, outlet and date.

No Telegram and no SQL here: readers take bytes, ``fetch`` takes a link, ``review`` turns an
extractor's draft into review items and accepted items into fact files.
"""

from bot.articles.model import ArticleError, ArticleText

__all__ = ["ArticleError", "ArticleText"]
