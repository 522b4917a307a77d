using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AgentGrid.Contracts.Errors;
using Microsoft.Data.Sqlite;

namespace AgentGrid.Grains.Tools.Builtins;

/// <summary>Converts between JSON and SQLite values: parameters in, row values out.</summary>
internal static partial class SqliteValues
{
    public static void Bind(SqliteCommand command, JsonObject input)
    {
        if (!input.TryGetPropertyValue("parameters", out var node) || node is null)
        {
            return;
        }

        if (node is not JsonObject parameters)
        {
            throw AgentGridException.Validation("parameters", "'parameters' must be an object of name to value.");
        }

        foreach (var (name, value) in parameters)
        {
            if (!ParameterName().IsMatch(name))
            {
                throw AgentGridException.Validation($"parameters.{name}", "A parameter name must be a letter or '_' then letters, digits or '_'.");
            }

            // Microsoft.Data.Sqlite binds a name without a prefix to $name, @name or :name, whichever the SQL uses.
            command.Parameters.AddWithValue(name, ToSqlite(value, $"parameters.{name}"));
        }
    }

    public static JsonNode? ToJson(object value) => value switch
    {
        DBNull => null,
        long number => number,
        double number when double.IsFinite(number) => number,
        double number => number.ToString(CultureInfo.InvariantCulture),
        string text => text,
        byte[] blob => Convert.ToBase64String(blob),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };

    private static object ToSqlite(JsonNode? value, string field)
    {
        if (value is null)
        {
            return DBNull.Value;
        }

        if (value is not JsonValue scalar)
        {
            throw AgentGridException.Validation(field, "A parameter must be a string, number, boolean or null.");
        }

        return scalar.GetValueKind() switch
        {
            JsonValueKind.String => scalar.GetValue<string>(),
            JsonValueKind.True => 1L,
            JsonValueKind.False => 0L,
            JsonValueKind.Number => Number(scalar.ToJsonString()),
            _ => DBNull.Value,
        };
    }

    private static object Number(string json) =>
        long.TryParse(json, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole)
            ? whole
            : double.Parse(json, NumberStyles.Float, CultureInfo.InvariantCulture);

    [GeneratedRegex("^[$@:]?[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex ParameterName();
}
