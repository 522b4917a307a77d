using System.Collections.Frozen;
using System.Text;
using AgentGrid.Contracts.Errors;

namespace AgentGrid.Grains.Tools.Builtins;

/// <summary>
/// What a sandboxed SQL statement may not do, in any mode: reach another file (ATTACH, VACUUM, which
/// attaches one, load_extension), reveal the host path (database_list) or change connection state through a PRAGMA.
/// <see cref="Scan"/> reads the text before it reaches SQLite; <see cref="Authorize"/> is SQLite's own
/// authorizer, which sees what the parser actually compiled and so catches what a text scan could miss.
/// </summary>
internal static class SqlGuard
{
    private const int Ok = 0;
    private const int Deny = 1;
    private const int PragmaAction = 19;
    private const int AttachAction = 24;
    private const int DetachAction = 25;
    private const int FunctionAction = 31;

    private static readonly FrozenSet<string> ForbiddenWords = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase, "attach", "detach", "load_extension", "database_list", "pragma_database_list");

    /// <summary>Pragmas that only report, with or without an argument naming what to report on.</summary>
    private static readonly FrozenSet<string> ReportingPragmas = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase, "table_info", "table_xinfo", "table_list", "index_list", "index_info",
        "index_xinfo", "foreign_key_list", "foreign_key_check", "integrity_check", "quick_check");

    /// <summary>Pragmas that report a setting when given no argument (and would change it when given one).</summary>
    private static readonly FrozenSet<string> SettingPragmas = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase, "collation_list", "function_list", "module_list", "pragma_list",
        "compile_options", "user_version", "schema_version", "application_id", "page_count", "page_size",
        "freelist_count", "encoding", "foreign_keys", "data_version", "journal_mode");

    public static void Scan(string sql)
    {
        var words = Words(sql).ToList();
        if (words.FirstOrDefault(ForbiddenWords.Contains) is { } forbidden)
        {
            throw Refused($"'{forbidden}' is not allowed in a sandboxed query.");
        }

        if (words.Count > 0 && words[0].Equals("vacuum", StringComparison.OrdinalIgnoreCase))
        {
            throw Refused("VACUUM is not allowed in a sandboxed query (it attaches a database, or with INTO writes a file).");
        }
    }

    /// <summary>The sqlite3 authorizer callback; <paramref name="denied"/> says what it refused, for the error message.</summary>
    public static int Authorize(int action, string? arg1, string? arg2, ref string? denied)
    {
        var allowed = action switch
        {
            AttachAction or DetachAction => false,
            PragmaAction => arg1 is not null
                && (ReportingPragmas.Contains(arg1) || (arg2 is null && SettingPragmas.Contains(arg1))),
            FunctionAction => !string.Equals(arg2, "load_extension", StringComparison.OrdinalIgnoreCase),
            _ => true,
        };
        if (!allowed)
        {
            denied ??= action == PragmaAction ? $"PRAGMA {arg1}" : action == FunctionAction ? arg2 : "ATTACH/DETACH";
        }

        return allowed ? Ok : Deny;
    }

    public static AgentGridException Refused(string message) => AgentGridException.Validation("query", message);

    /// <summary>
    /// The words of a statement outside string literals and comments. Quoted identifiers are included
    /// (unquoted) because SQLite accepts a quoted name wherever a bare one goes.
    /// </summary>
    internal static IEnumerable<string> Words(string sql)
    {
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (c == '-' && At(sql, i + 1, '-'))
            {
                i = IndexOrEnd(sql, "\n", i);
            }
            else if (c == '/' && At(sql, i + 1, '*'))
            {
                i = IndexOrEnd(sql, "*/", i + 2) + 2;
            }
            else if (c is '\'' or '"' or '`' or '[')
            {
                var close = c == '[' ? ']' : c;
                var (text, next) = Quoted(sql, i + 1, close);
                if (c != '\'')
                {
                    yield return text;
                }

                i = next;
            }
            else if (char.IsLetter(c) || c == '_')
            {
                var start = i;
                while (i < sql.Length && (char.IsLetterOrDigit(sql[i]) || sql[i] is '_' or '$'))
                {
                    i++;
                }

                yield return sql[start..i];
            }
            else
            {
                i++;
            }
        }
    }

    private static (string Text, int Next) Quoted(string sql, int i, char close)
    {
        var text = new StringBuilder();
        while (i < sql.Length)
        {
            if (sql[i] != close)
            {
                text.Append(sql[i++]);
            }
            else if (close != ']' && At(sql, i + 1, close))
            {
                text.Append(close);
                i += 2;
            }
            else
            {
                return (text.ToString(), i + 1);
            }
        }

        return (text.ToString(), i);
    }

    private static bool At(string sql, int i, char c) => i < sql.Length && sql[i] == c;

    private static int IndexOrEnd(string sql, string value, int from) =>
        sql.IndexOf(value, from, StringComparison.Ordinal) is var at and >= 0 ? at : sql.Length;
}
