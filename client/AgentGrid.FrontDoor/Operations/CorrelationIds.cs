using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AgentGrid.FrontDoor.Operations;

/// <summary>
/// Every request gets a correlation id (the caller's <c>X-Correlation-Id</c>, or a new one) echoed in the response
/// and carried in a logging scope, so all its log lines (JSON logs include scopes) can be found together.
/// </summary>
public sealed class CorrelationIds(RequestDelegate next, ILogger<CorrelationIds> logger)
{
    public const string Header = "X-Correlation-Id";

    public async Task InvokeAsync(HttpContext context)
    {
        var given = context.Request.Headers[Header].ToString();
        var id = given.Length is > 0 and <= 128 && given.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') ? given : context.TraceIdentifier;
        // Set when the response starts: the exception handler clears headers before it writes a problem.
        context.Response.OnStarting(() =>
        {
            context.Response.Headers[Header] = id;
            return Task.CompletedTask;
        });
        using (logger.BeginScope(new Dictionary<string, object> { ["CorrelationId"] = id }))
        {
            await next(context);
        }
    }
}
