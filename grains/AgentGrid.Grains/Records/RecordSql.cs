namespace AgentGrid.Grains.Records;

/// <summary>The WHERE clause of a <see cref="RecordQuery"/>, shared by the SQLite and PostgreSQL stores.</summary>
internal static class RecordSql
{
    public static (string Sql, List<(string Name, string Value)> Parameters) Where(RecordQuery query, string marker)
    {
        var sql = new System.Text.StringBuilder();
        var parameters = new List<(string, string)>();
        void Add(string condition, string name, string value)
        {
            sql.Append(" AND id ").Append(condition).Append(' ').Append(marker).Append(name);
            parameters.Add((marker + name, value));
        }

        if (query.After is { } after)
        {
            Add(">", "after", after);
        }

        if (query.Before is { } before)
        {
            Add("<", "before", before);
        }

        if (!string.IsNullOrEmpty(query.Prefix))
        {
            Add(">=", "from", query.Prefix);
            Add("<", "to", RecordQuery.PrefixEnd(query.Prefix));
        }

        return (sql.ToString(), parameters);
    }
}
