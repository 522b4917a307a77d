-- Append-mostly rows (session history, knowledge-base chunks, memories): see IRecordStore.
-- Ids compare as bytes (COLLATE "C"), as in SQLite, so zero-padded numbers sort in order.
CREATE TABLE IF NOT EXISTS agentgrid_records (
    partition text COLLATE "C" NOT NULL,
    id        text COLLATE "C" NOT NULL,
    body      bytea NOT NULL,
    PRIMARY KEY (partition, id)
);
