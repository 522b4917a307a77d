namespace AgentGrid.Grains.Storage;

internal static class SqliteGrainStorageSql
{
    public const string Schema = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS grain_state (
            service_id  TEXT NOT NULL,
            grain_id    TEXT NOT NULL,
            state_name  TEXT NOT NULL,
            payload     TEXT NOT NULL,
            etag        TEXT NOT NULL,
            modified_at TEXT NOT NULL,
            PRIMARY KEY (service_id, grain_id, state_name)
        ) WITHOUT ROWID;
        """;

    public const string Read = """
        SELECT payload, etag FROM grain_state
        WHERE service_id = $service_id AND grain_id = $grain_id AND state_name = $state_name;
        """;

    // A first write must not overwrite a row some other activation created meanwhile.
    public const string Insert = """
        INSERT INTO grain_state (service_id, grain_id, state_name, payload, etag, modified_at)
        VALUES ($service_id, $grain_id, $state_name, $payload, $new_etag, $modified_at)
        ON CONFLICT DO NOTHING;
        """;

    public const string Update = """
        UPDATE grain_state SET payload = $payload, etag = $new_etag, modified_at = $modified_at
        WHERE service_id = $service_id AND grain_id = $grain_id AND state_name = $state_name AND etag = $etag;
        """;

    public const string Delete = """
        DELETE FROM grain_state
        WHERE service_id = $service_id AND grain_id = $grain_id AND state_name = $state_name AND etag = $etag;
        """;
}
