using System.Globalization;
using AgentGrid.Contracts;
using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Identity;
using AgentGrid.Contracts.Usage;
using AgentGrid.FrontDoor.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AgentGrid.FrontDoor.Usage;

/// <summary>
/// <c>GET /api/usage?from=&amp;to=&amp;groupBy=</c>: the usage ledger, summed by key, agent, model and/or day
/// (admins also by tenant); JSON, or CSV with <c>Accept: text/csv</c>. Members and readers see their tenant, admins
/// every tenant (or one, with <c>tenant=</c>).
/// </summary>
public static class UsageEndpoints
{
    public const int MaxDays = 400;

    public static IEndpointRouteBuilder MapUsageApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/usage", GetAsync).WithTags("Usage").WithName("GetUsage").RequireAuthorization(Policies.Reader)
            .Produces<IReadOnlyList<UsageReportRow>>().Produces(StatusCodes.Status200OK, contentType: "text/csv");
        return routes;
    }

    public static async Task<IResult> GetAsync(string? from, string? to, string? groupBy, string? tenant, HttpContext context, GridServices grid, TimeProvider time)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var first = Day(from, "from") ?? today.AddDays(-29);
        var last = Day(to, "to") ?? today;
        if (last < first || last.DayNumber - first.DayNumber >= MaxDays)
        {
            throw AgentGridException.Validation("to", $"to must not be before from, and the range at most {MaxDays} days.");
        }

        var dimensions = (groupBy ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        if (dimensions.FirstOrDefault(d => !UsageReport.Dimensions.Contains(d)) is { } unknown)
        {
            throw AgentGridException.Validation("groupBy", $"groupBy '{unknown}' is not one of {string.Join(", ", UsageReport.Dimensions)}.");
        }

        var tenants = await TenantsAsync(tenant, grid);
        var rows = new List<UsageRow>();
        foreach (var id in tenants)
        {
            var days = await grid.Grains.GetGrain<IUsageIndexGrain>(id).GetDaysAsync(first, last);
            var dayRows = await Task.WhenAll(days.Select(d => grid.Grains.GetGrain<IUsageLedgerGrain>(IUsageLedgerGrain.KeyFor(id, d)).GetRowsAsync()));
            rows.AddRange(dayRows.SelectMany(r => r));
        }

        // Grouped rows a page at a time (limit, after, Link rel="next"), in the report's own order; the CSV pages too.
        var report = Paging.Pages.Take(UsageReport.Group(rows, dimensions),
            r => string.Join('\n', r.Day, r.Tenant, r.Key, r.Agent, r.Model), Paging.Pages.Read(context.Request), context);
        return context.Request.Headers.Accept.ToString().Contains("text/csv", StringComparison.OrdinalIgnoreCase)
            ? Results.Text(UsageReport.Csv(report, dimensions), "text/csv; charset=utf-8")
            : Results.Ok(report);
    }

    private static async Task<IReadOnlyList<string>> TenantsAsync(string? tenant, GridServices grid)
    {
        if (grid.Role != Role.Admin)
        {
            // Only an admin chooses: anyone else sees their own tenant, whatever they ask for.
            return [grid.Tenant];
        }

        if (tenant is not null)
        {
            return GrainKeys.IsValidId(tenant) ? [tenant] : [];
        }

        return await grid.Grains.GetGrain<ITenantDirectoryGrain>(ITenantDirectoryGrain.Key).ListTenantsAsync();
    }

    private static DateOnly? Day(string? value, string field)
    {
        if (value is null)
        {
            return null;
        }

        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return day;
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? DateOnly.FromDateTime(at.UtcDateTime)
            : throw AgentGridException.Validation(field, $"{field} must be a date (yyyy-MM-dd) or an ISO 8601 time.");
    }
}
