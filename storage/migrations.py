"""Versioned schema: an append-only list of SQL scripts, applied in order and recorded.

Each script runs in one transaction and bumps ``PRAGMA user_version``; a script already
applied is skipped, so opening a store twice changes nothing. Never edit a shipped script:
append a new one.
"""

from __future__ import annotations

MIGRATIONS: tuple[str, ...] = (
    # 1: facts, the feed of new items, chats and their subscriptions, deliveries, digests,
    #    users and the audit trail.
    """
    CREATE TABLE sources (
        id TEXT PRIMARY KEY,
        body TEXT NOT NULL
    );
    CREATE TABLE areas (
        id TEXT PRIMARY KEY,
        name_zh TEXT NOT NULL,
        name_en TEXT NOT NULL
    );
    CREATE TABLE labels (
        label TEXT PRIMARY KEY,
        name_en TEXT,
        area TEXT REFERENCES areas(id)
    );
    CREATE TABLE zones (
        id TEXT PRIMARY KEY,
        name_zh TEXT NOT NULL,
        short_zh TEXT NOT NULL,
        name_en TEXT NOT NULL,
        body TEXT NOT NULL,
        deleted_at TEXT
    );
    -- Every name a zone answers to, normalised (lower case, no spaces or punctuation).
    CREATE TABLE zone_names (
        name TEXT NOT NULL,
        zone_id TEXT NOT NULL REFERENCES zones(id) ON DELETE CASCADE,
        PRIMARY KEY (name, zone_id)
    );
    CREATE TABLE companies (
        id TEXT PRIMARY KEY,
        zone_id TEXT REFERENCES zones(id),
        body TEXT NOT NULL,
        deleted_at TEXT
    );
    CREATE TABLE projects (
        id TEXT PRIMARY KEY,
        zone_id TEXT NOT NULL REFERENCES zones(id),
        company_id TEXT REFERENCES companies(id),
        stage TEXT,
        body TEXT NOT NULL,
        learned_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        deleted_at TEXT
    );
    CREATE INDEX projects_zone ON projects(zone_id) WHERE deleted_at IS NULL;
    CREATE TABLE events (
        id TEXT PRIMARY KEY,
        zone_id TEXT NOT NULL REFERENCES zones(id),
        kind TEXT NOT NULL,
        body TEXT NOT NULL,
        learned_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        deleted_at TEXT
    );
    CREATE INDEX events_zone ON events(zone_id) WHERE deleted_at IS NULL;
    CREATE TABLE figures (
        id TEXT PRIMARY KEY,
        zone_id TEXT NOT NULL REFERENCES zones(id),
        body TEXT NOT NULL,
        deleted_at TEXT
    );
    CREATE INDEX figures_zone ON figures(zone_id);
    -- The sector labels of each project and event, for sector lookups and alert matching.
    CREATE TABLE record_labels (
        kind TEXT NOT NULL CHECK (kind IN ('project', 'event')),
        record_id TEXT NOT NULL,
        label TEXT NOT NULL REFERENCES labels(label),
        PRIMARY KEY (kind, record_id, label)
    );
    CREATE INDEX record_labels_label ON record_labels(label);
    -- Full-text search. Han characters are indexed one per token (see storage/text.py), so
    -- a two-character word such as 电池 is a phrase query and matches. search_docs gives each
    -- indexed record a rowid, so re-indexing one record is a delete by key, not a scan.
    CREATE TABLE search_docs (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        record_id TEXT NOT NULL,
        zone_id TEXT,
        UNIQUE (kind, record_id)
    );
    CREATE VIRTUAL TABLE search_index USING fts5(
        title, body, tokenize = "unicode61 remove_diacritics 2"
    );
    -- The one path every new record and stage change takes; alerts and digests read it.
    CREATE TABLE feed (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL CHECK (kind IN ('project', 'event')),
        record_id TEXT NOT NULL,
        change TEXT NOT NULL CHECK (change IN ('new', 'stage')),
        at TEXT NOT NULL
    );
    CREATE TABLE chats (
        id INTEGER PRIMARY KEY,
        type TEXT NOT NULL,
        title TEXT,
        lang TEXT,
        active INTEGER NOT NULL DEFAULT 1,
        approved INTEGER NOT NULL DEFAULT 0,
        migrated_to INTEGER,
        alert_mode TEXT NOT NULL DEFAULT 'instant'
            CHECK (alert_mode IN ('instant', 'digest', 'off')),
        timezone TEXT,
        digest_kind TEXT NOT NULL DEFAULT 'daily'
            CHECK (digest_kind IN ('daily', 'weekly', 'off')),
        digest_time TEXT NOT NULL DEFAULT '08:30',
        digest_weekday INTEGER NOT NULL DEFAULT 0,
        next_digest_at TEXT,
        digest_seq INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL
    );
    CREATE INDEX chats_due ON chats(next_digest_at) WHERE active = 1;
    CREATE TABLE subscriptions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        chat_id INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE ON UPDATE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('zone', 'sector', 'keyword')),
        value TEXT NOT NULL,
        thread_id INTEGER,
        since_seq INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        UNIQUE (chat_id, kind, value)
    );
    CREATE INDEX subscriptions_value ON subscriptions(kind, value);
    -- One row per (chat, feed item) an alert is owed for; sent_at set only after Telegram
    -- accepted the message.
    CREATE TABLE deliveries (
        chat_id INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE ON UPDATE CASCADE,
        seq INTEGER NOT NULL REFERENCES feed(seq),
        thread_id INTEGER,
        attempts INTEGER NOT NULL DEFAULT 0,
        not_before TEXT,
        sent_at TEXT,
        PRIMARY KEY (chat_id, seq)
    );
    CREATE INDEX deliveries_pending ON deliveries(sent_at, not_before);
    CREATE TABLE digests (
        chat_id INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE ON UPDATE CASCADE,
        period TEXT NOT NULL,
        from_seq INTEGER NOT NULL,
        to_seq INTEGER NOT NULL,
        parts_sent INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        sent_at TEXT,
        PRIMARY KEY (chat_id, period)
    );
    CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        name TEXT,
        username TEXT,
        lang TEXT,
        role TEXT NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),
        status TEXT NOT NULL DEFAULT 'new'
            CHECK (status IN ('new', 'pending', 'approved', 'denied')),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        actor_id INTEGER,
        via TEXT NOT NULL,
        kind TEXT NOT NULL,
        record_id TEXT NOT NULL,
        action TEXT NOT NULL,
        before TEXT,
        after TEXT
    );
    CREATE INDEX audit_record ON audit(kind, record_id);
    CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    """,
    # 2: what each digest delivers, fixed when the digest is opened: the feed items of each
    #    part in the order shown, so a resumed digest sends the rest of that plan (never
    #    re-selected from data that changed meanwhile). ``change`` is the change as shown
    #    ('new' for a record that was new in the window even if its latest item is a stage).
    """
    CREATE TABLE digest_items (
        chat_id INTEGER NOT NULL,
        period TEXT NOT NULL,
        part INTEGER NOT NULL,
        position INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        change TEXT NOT NULL CHECK (change IN ('new', 'stage')),
        PRIMARY KEY (chat_id, period, part, position),
        FOREIGN KEY (chat_id, period) REFERENCES digests(chat_id, period)
            ON DELETE CASCADE ON UPDATE CASCADE
    );
    CREATE INDEX deliveries_sent ON deliveries(sent_at) WHERE sent_at IS NOT NULL;
    CREATE INDEX digests_sent ON digests(sent_at) WHERE sent_at IS NOT NULL;
    """,
    # 3: the review queue of articles: each article once (by link or text), its draft cards,
    #    who accepted or rejected each and when.
    """
    CREATE TABLE review_articles (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        url TEXT,
        text_hash TEXT NOT NULL UNIQUE,
        title TEXT,
        outlet TEXT,
        published TEXT,
        source_id TEXT NOT NULL,
        support TEXT NOT NULL,
        submitted_by INTEGER,
        created_at TEXT NOT NULL
    );
    CREATE INDEX review_articles_url ON review_articles(url) WHERE url IS NOT NULL;
    CREATE TABLE review_items (
        article_id INTEGER NOT NULL REFERENCES review_articles(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        section TEXT NOT NULL
            CHECK (section IN ('projects', 'events', 'figures', 'companies')),
        record TEXT NOT NULL,
        evidence TEXT NOT NULL,
        target TEXT,
        status TEXT NOT NULL DEFAULT 'pending'
            CHECK (status IN ('pending', 'accepted', 'rejected')),
        decided_by INTEGER,
        decided_at TEXT,
        PRIMARY KEY (article_id, position)
    );
    CREATE INDEX review_items_pending ON review_items(status, article_id);
    -- The smallest hashes of each article's sentences, to know a report again when it comes
    -- with another title line, byline or footer.
    CREATE TABLE review_prints (
        article_id INTEGER NOT NULL REFERENCES review_articles(id) ON DELETE CASCADE,
        print TEXT NOT NULL,
        PRIMARY KEY (print, article_id)
    );
    """,
    # 4: questions in staff's own words. ``entity_names``: every name (and stem and pinyin) a
    #    company, project or event answers to, folded, so a question's words are looked up by
    #    key instead of scanning records; filled by the fact writer, back-filled once for stores
    #    made before it (meta 'entity_names'). ``ask_context``: what each person last talked
    #    about in each chat, for follow-ups (它, 其中, "and the ..."); read only when fresh.
    """
    CREATE TABLE entity_names (
        name TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('company', 'project', 'event')),
        record_id TEXT NOT NULL,
        quality INTEGER NOT NULL,
        PRIMARY KEY (name, kind, record_id)
    ) WITHOUT ROWID;
    CREATE INDEX entity_names_record ON entity_names(kind, record_id);
    CREATE TABLE ask_context (
        chat_id INTEGER NOT NULL,
        user_id INTEGER NOT NULL,
        zone_id TEXT,
        focus_kind TEXT,
        focus_id TEXT,
        figure_id TEXT,
        greeted INTEGER NOT NULL DEFAULT 0,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (chat_id, user_id)
    );
    CREATE INDEX projects_stage ON projects(stage) WHERE deleted_at IS NULL;
    CREATE INDEX projects_company ON projects(company_id) WHERE deleted_at IS NULL;
    CREATE INDEX projects_event ON projects(json_extract(body, '$.event'));
    -- A store with no records yet fills the name index as records arrive: nothing to back-fill.
    INSERT INTO meta(key, value) SELECT 'entity_names', '1'
        WHERE NOT EXISTS (SELECT 1 FROM companies) AND NOT EXISTS (SELECT 1 FROM projects)
        AND NOT EXISTS (SELECT 1 FROM events);
    """,
    # 5: the zone card's order (a zone's newest projects and events first) read straight
    #    from an index instead of sorting every record of the zone. IF NOT EXISTS: this was
    #    number 3, then 4, on its branch before merges renumbered it.
    """
    CREATE INDEX IF NOT EXISTS projects_zone_learned ON projects(zone_id, learned_at)
        WHERE deleted_at IS NULL;
    CREATE INDEX IF NOT EXISTS events_zone_learned ON events(zone_id, learned_at)
        WHERE deleted_at IS NULL;
    -- A digest shows at most a capped number of items; the rest wait here, for that chat,
    -- until someone presses the digest's "more" button. ``number`` is the item's number in
    -- the digest (numbering carries on from the items shown).
    CREATE TABLE IF NOT EXISTS digest_held (
        chat_id INTEGER NOT NULL,
        period TEXT NOT NULL,
        number INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        change TEXT NOT NULL CHECK (change IN ('new', 'stage')),
        PRIMARY KEY (chat_id, period, number),
        FOREIGN KEY (chat_id, period) REFERENCES digests(chat_id, period)
            ON DELETE CASCADE ON UPDATE CASCADE
    );
    """,
    # 6: workplace-IM group robots (WeCom, DingTalk, Feishu) as delivery destinations. Each
    #    is also a row of ``chats`` with a synthetic id below -(2**53) (bot/core/robots.py),
    #    so subscriptions, alert mode, digest schedule and the delivery and digest records
    #    work for it unchanged; this table holds what sending needs and who manages it.
    """
    CREATE TABLE channels (
        chat_id INTEGER PRIMARY KEY REFERENCES chats(id) ON DELETE CASCADE ON UPDATE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('wecom', 'dingtalk', 'feishu')),
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        url TEXT NOT NULL,
        secret TEXT,
        owner_id INTEGER NOT NULL,
        status TEXT NOT NULL DEFAULT 'active'
            CHECK (status IN ('active', 'paused', 'inactive')),
        status_reason TEXT,
        last_delivery_at TEXT,
        created_at TEXT NOT NULL
    );
    CREATE INDEX channels_owner ON channels(owner_id);
    """,
    # 7: the directory of national zones: reference data (types, places, where each row comes
    #    from), one row per zone, and the extra names it answers to. Never in the feed: a
    #    directory row is not news.
    """
    CREATE TABLE directory (
        zone_id TEXT PRIMARY KEY REFERENCES zones(id),
        row INTEGER NOT NULL,
        province TEXT NOT NULL,
        city TEXT NOT NULL,
        county_city TEXT,
        types TEXT NOT NULL,
        body TEXT NOT NULL
    );
    CREATE INDEX directory_province ON directory(province);
    CREATE INDEX directory_city ON directory(city);
    CREATE TABLE directory_names (
        name TEXT NOT NULL,
        zone_id TEXT NOT NULL REFERENCES zones(id) ON DELETE CASCADE,
        PRIMARY KEY (name, zone_id)
    );
    """,
    # 8: what a question asked besides its zone and record (a size condition, stages, sectors;
    #    JSON, see bot/core/ask_frame.py), so a follow-up (那新能源呢) keeps what it does
    #    not change.
    """
    ALTER TABLE ask_context ADD COLUMN frame TEXT;
    """,
    # 9: the search index holds Han text as overlapping pairs (人工 工智 智能 能, see
    #    bot/core/text.py fts_pairs) instead of one character a token: the same matches and
    #    bm25, but a word's phrase reads its pairs' short lists. Rebuilt from the index's own
    #    text (fts_repair: bot/core/text.py repair_spaced, registered by Store.open); same
    #    rowids.
    """
    CREATE VIRTUAL TABLE search_index_pairs USING fts5(
        title, body, tokenize = "unicode61 remove_diacritics 2"
    );
    INSERT INTO search_index_pairs(rowid, title, body)
        SELECT rowid, fts_repair(title), fts_repair(body) FROM search_index ORDER BY rowid;
    DROP TABLE search_index;
    ALTER TABLE search_index_pairs RENAME TO search_index;
    """,
)
