using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AgentGrid.Silo;

/// <summary><c>/readyz</c> as JSON: the overall status and each dependency's, with why it is not healthy.</summary>
public static class HealthReports
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), detail = e.Value.Description }),
        }));
    }
}
