-- The ictdash warehouse: one DuckDB file (default data/ictdash.duckdb).
-- Built fresh into a temporary file by etl/warehouse.py and swapped in atomically.
-- Province ids are scheme-qualified: '63-10' = Lào Cai before 1 July 2025, '34-15' = Lào Cai after.
-- Bump the schema_version below with any change here: a build then re-extracts everything.

CREATE TABLE meta (
    key   VARCHAR PRIMARY KEY,
    value VARCHAR
);  -- schema_version, extractor_version, catalog_hash, extraction_fingerprint, built_at, run_id

INSERT INTO meta VALUES ('schema_version', '2');

CREATE TABLE provinces (
    province_id  VARCHAR PRIMARY KEY,  -- '63-10', '34-15'
    scheme       VARCHAR NOT NULL,     -- '63' (before 2025-07-01) or '34'
    code         VARCHAR NOT NULL,     -- official numeric code within its scheme, e.g. '10'
    name         VARCHAR NOT NULL,     -- 'Lào Cai'
    name_en      VARCHAR,              -- 'Lao Cai'
    kind         VARCHAR,              -- 'tinh' | 'tp'
    region       VARCHAR,              -- one of six socio-economic regions (63-scheme only)
    iso_3166_2   VARCHAR,              -- 'VN-02' (63-scheme; key of the boundary file)
    valid_from   DATE,
    valid_to     DATE,                 -- NULL = still valid
    successor_id VARCHAR               -- 63-scheme row -> its 34-scheme successor
);

CREATE TABLE indicators (
    indicator_id  VARCHAR PRIMARY KEY,
    name_vi       VARCHAR NOT NULL,
    name_en       VARCHAR NOT NULL,
    unit          VARCHAR NOT NULL,    -- pct, count, per_100, bn_vnd, rank, score
    grp           VARCHAR NOT NULL,    -- infrastructure, subscribers, egov, digital_economy, society, postal, rankings
    direction     VARCHAR NOT NULL,    -- up | down | neutral
    additive      BOOLEAN NOT NULL,    -- counts that may be summed across merged provinces
    hard_min      DOUBLE, hard_max DOUBLE, warn_min DOUBLE, warn_max DOUBLE,
    definition_vi VARCHAR, definition_en VARCHAR, source VARCHAR
);

CREATE TABLE documents (
    doc_id      VARCHAR PRIMARY KEY,   -- file name (unique within a build)
    path        VARCHAR NOT NULL,
    sha256      VARCHAR NOT NULL,      -- of the file's bytes
    meta_hash   VARCHAR,               -- of the manifest metadata the file was read with
    fmt         VARCHAR,
    url         VARCHAR,
    title       VARCHAR,
    published   DATE,
    province_id VARCHAR,               -- the document's main province, if detected
    status      VARCHAR NOT NULL,      -- ok | empty | failed
    error       VARCHAR,               -- reason when failed/empty
    n_values    INTEGER NOT NULL DEFAULT 0,
    text        VARCHAR,               -- normalized text; observation offsets refer to it
    extractor_version VARCHAR,
    read_at     TIMESTAMP
);

CREATE TABLE observations (
    obs_id        VARCHAR PRIMARY KEY, -- stable hash of doc, indicator, scope, offsets, value
    doc_id        VARCHAR NOT NULL,
    province_id   VARCHAR,             -- NULL when the province is unknown
    province_name VARCHAR,
    year          INTEGER,             -- NULL when the text does not tell
    indicator_id  VARCHAR NOT NULL,
    scope         VARCHAR NOT NULL,    -- all, province, district, commune, village, household, population
    value         DOUBLE NOT NULL,
    unit          VARCHAR NOT NULL,
    qualifier     VARCHAR NOT NULL,    -- exact, at_least, at_most, approx
    is_target     BOOLEAN NOT NULL,
    denominator   DOUBLE,
    period        VARCHAR,
    evidence      VARCHAR NOT NULL,
    start_offset  INTEGER,
    end_offset    INTEGER,
    rule          VARCHAR NOT NULL,
    confidence    DOUBLE NOT NULL,
    origin        VARCHAR NOT NULL,    -- machine | table | curated_added
    review_status VARCHAR NOT NULL,    -- machine | confirmed | corrected | rejected | added
    reviewer      VARCHAR,
    review_reason VARCHAR,
    original      VARCHAR              -- JSON of the machine's values a correction replaced, e.g. {"value": 912}
);

CREATE TABLE population (
    province_id VARCHAR NOT NULL,
    year        INTEGER NOT NULL,
    population  BIGINT,
    area_km2    DOUBLE,
    basis       VARCHAR,
    source_url  VARCHAR
);

CREATE TABLE runs (
    run_id      VARCHAR PRIMARY KEY,
    started_at  TIMESTAMP,
    finished_at TIMESTAMP,
    n_files     INTEGER, n_read INTEGER, n_unchanged INTEGER, n_failed INTEGER, n_values INTEGER,
    n_conflicts INTEGER,
    n_empty     INTEGER,
    details     VARCHAR                -- JSON: per-file messages, curation report, values by indicator
);

-- facts: the one value to show per (province, year, indicator, scope, is_target).
-- Rule, in order: checked by a person (confirmed/corrected/added) first; exact over approximate/bounded; newer source
-- (document published later) first; higher confidence; then obs_id for determinism.
-- Rejected observations never appear, nor machine values below confidence 0.5. n_sources counts the candidates; n_disagree those whose value
-- differs from the chosen one by more than 0.5 %.
-- The build (etl/warehouse.py) stores this view's rows as the table `facts` once the observations are
-- final (the warehouse is rebuilt as a whole, so the table can never go stale); pages read the table.
CREATE VIEW facts AS
WITH candidates AS (
    SELECT o.*, d.published, d.title AS doc_title, d.url AS doc_url
    FROM observations o JOIN documents d USING (doc_id)
    WHERE o.review_status <> 'rejected' AND o.province_id IS NOT NULL AND o.year IS NOT NULL
      -- precision first: a machine value below FACTS_MIN_CONFIDENCE (etl/defaults.py) stays in
      -- observations, listed for review on the data-quality page; a person's value always counts
      AND (o.confidence >= 0.5 OR o.review_status IN ('confirmed', 'corrected', 'added'))
), ranked AS (
    SELECT *,
        row_number() OVER w AS rn,
        first_value(value) OVER w AS chosen_value,
        count(*) OVER (PARTITION BY province_id, year, indicator_id, scope, is_target) AS n_sources
    FROM candidates
    WINDOW w AS (
        PARTITION BY province_id, year, indicator_id, scope, is_target
        ORDER BY (review_status IN ('confirmed', 'corrected', 'added')) DESC,
                 (qualifier = 'exact') DESC,
                 published DESC NULLS LAST,
                 confidence DESC,
                 obs_id
    )
), flagged AS (
    SELECT *,
        sum(CASE WHEN abs(value - chosen_value) > greatest(1e-9, 0.005 * abs(chosen_value)) THEN 1 ELSE 0 END)
            OVER (PARTITION BY province_id, year, indicator_id, scope, is_target) AS n_disagree
    FROM ranked
)
SELECT * EXCLUDE (rn, chosen_value) FROM flagged WHERE rn = 1;
