using Lucene.Net.Analysis;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Index;
using Lucene.Net.Search;

namespace AgentGrid.Knowledge.Search;

/// <summary>
/// Builds a query from what the analyzer makes of the user's text: any term may match (SHOULD clauses), so text
/// holding Lucene syntax (quotes, colons, wildcards, AND, ~) is only ever words and never a parse error.
/// </summary>
internal static class LexicalQuery
{
    /// <summary>The query for <paramref name="text"/>, or null when no term of it survives analysis.</summary>
    public static Query? Build(Analyzer analyzer, string text, string textField, string headingField, float headingWeight)
    {
        var terms = Terms(analyzer, textField, text);
        if (terms.Count == 0)
        {
            return null;
        }

        var query = new BooleanQuery(disableCoord: true);
        foreach (var term in terms)
        {
            query.Add(new TermQuery(new Term(textField, term)), Occur.SHOULD);
            if (headingWeight > 0)
            {
                query.Add(new TermQuery(new Term(headingField, term)) { Boost = headingWeight }, Occur.SHOULD);
            }
        }

        return query;
    }

    private static List<string> Terms(Analyzer analyzer, string field, string text)
    {
        // Each term costs two clauses at most; the cap keeps a pasted page under Lucene's clause limit.
        var limit = BooleanQuery.MaxClauseCount / 2;
        var terms = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        using var stream = analyzer.GetTokenStream(field, text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken() && terms.Count < limit)
        {
            var value = term.ToString();
            if (seen.Add(value))
            {
                terms.Add(value);
            }
        }

        stream.End();
        return terms;
    }
}
