using System.Buffers.Text;
using System.Globalization;
using System.Text;
using AgentGrid.Contracts.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace AgentGrid.FrontDoor.Paging;

/// <summary>What a list request asks for: at most <see cref="Limit"/> items after the cursor <see cref="After"/> (a sort key).</summary>
public sealed record PageQuery(int Limit, string? After);

/// <summary>
/// One way to page every list: <c>?limit=</c> (default <see cref="DefaultLimit"/>, at most <see cref="MaxLimit"/>) and an
/// opaque cursor <c>?after=</c>; when more items follow, a <c>Link: &lt;…&gt;; rel="next"</c> header names the next page
/// (the request's other query parameters kept). The body keeps its shape. Items are ordered by a unique sort key, so a
/// walk that follows the links sees every item present throughout it once.
/// </summary>
public static class Pages
{
    /// <summary>Large enough that a list within the default tenant caps (500 agents or tools) fits one page.</summary>
    public const int DefaultLimit = 500;

    public const int MaxLimit = 1000;

    /// <summary>The page asked for; <c>validation_failed</c> naming <c>limit</c> or <c>after</c> when either is malformed.</summary>
    public static PageQuery Read(HttpRequest request) => Read(request, DefaultLimit, MaxLimit);

    /// <summary>As <see cref="Read(HttpRequest)"/>, for a list with a smaller page of its own.</summary>
    public static PageQuery Read(HttpRequest request, int defaultLimit, int maxLimit)
    {
        var limit = defaultLimit;
        if (request.Query["limit"] is { Count: > 0 } given
            && (!int.TryParse(given.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > maxLimit))
        {
            throw AgentGridException.Validation("limit", $"limit must be a whole number from 1 to {maxLimit}.");
        }

        string? after = null;
        if (request.Query["after"] is { Count: > 0 } cursor)
        {
            try
            {
                after = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor.ToString()));
            }
            catch (FormatException)
            {
                throw AgentGridException.Validation("after", "after must be the cursor of a page, as a Link header gave it.");
            }
        }

        return new PageQuery(limit, after);
    }

    /// <summary>
    /// The page of <paramref name="items"/> (in any order) by <paramref name="key"/> (ascending, ordinal; descending when
    /// <paramref name="newestFirst"/>), and the Link to the next page when there is one.
    /// </summary>
    public static IReadOnlyList<T> Take<T>(IEnumerable<T> items, Func<T, string> key, PageQuery page, HttpContext context, bool newestFirst = false)
    {
        var ordered = newestFirst ? items.OrderByDescending(key, StringComparer.Ordinal) : items.OrderBy(key, StringComparer.Ordinal);
        var rest = page.After is null ? ordered.AsEnumerable()
            : ordered.Where(i => StringComparer.Ordinal.Compare(key(i), page.After) is var c && (newestFirst ? c < 0 : c > 0));
        var taken = rest.Take(page.Limit + 1).ToList();
        if (taken.Count > page.Limit)
        {
            taken.RemoveAt(page.Limit);
            LinkNext(context, key(taken[^1]), page.Limit);
        }

        return taken;
    }

    /// <summary>Points the response's <c>Link: rel="next"</c> at the page after <paramref name="lastKey"/>.</summary>
    public static void LinkNext(HttpContext context, string lastKey, int limit)
    {
        var request = context.Request;
        var query = request.Query.Where(q => q.Key is not ("after" or "limit"))
            .SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string?>(q.Key, v)))
            .Append(new("after", Base64Url.EncodeToString(Encoding.UTF8.GetBytes(lastKey))))
            .Append(new("limit", limit.ToString(CultureInfo.InvariantCulture)));
        context.Response.Headers.Link = $"<{QueryHelpers.AddQueryString(request.PathBase + request.Path, query)}>; rel=\"next\"";
    }

    /// <summary>A sort key for a time and an id, ordered by time then id.</summary>
    public static string ByTime(DateTimeOffset at, string id) => at.UtcTicks.ToString("D19", CultureInfo.InvariantCulture) + "/" + id;
}
