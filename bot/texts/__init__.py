"""Everything the bot says: pure functions from records to HTML strings, both languages."""
