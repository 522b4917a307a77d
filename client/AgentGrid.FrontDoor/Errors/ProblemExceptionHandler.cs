using System.Text.Json;
using AgentGrid.Contracts;
using AgentGrid.Contracts.Errors;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace AgentGrid.FrontDoor.Errors;

/// <summary>Turns every exception that reaches the pipeline into a problem-details response.</summary>
public sealed class ProblemExceptionHandler(ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (context.Response.HasStarted)
        {
            return false;
        }

        // Orleans wraps some domain errors (e.g. a storage outage during a state write) in its own exception.
        var domain = exception.SelfAndCauses().OfType<AgentGridException>().FirstOrDefault();
        var problem = exception switch
        {
            _ when domain is not null => Problems.From(domain),
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
                Problems.Create(ErrorCodes.PayloadTooLarge, "The request body is larger than this endpoint accepts (1 MiB for JSON, 64 MiB for a document upload)."),
            BadHttpRequestException { StatusCode: StatusCodes.Status415UnsupportedMediaType } =>
                Problems.Create(ErrorCodes.UnsupportedMediaType, "Send the body as application/json."),
            BadHttpRequestException { InnerException: JsonException json } => InvalidJson(json),
            BadHttpRequestException e when e.Message.Contains("body", StringComparison.OrdinalIgnoreCase) =>
                Problems.Create(ErrorCodes.ValidationFailed, "A JSON request body is required.", "body"),
            BadHttpRequestException e => Problems.Create(ErrorCodes.ValidationFailed, e.Message, status: e.StatusCode),
            OperationCanceledException when context.RequestAborted.IsCancellationRequested => null,
            TimeoutException => Problems.Create(ErrorCodes.ServiceUnavailable, "The grid did not answer in time; try again."),
            _ when Cluster.FailoverRetry.IsRejectedByCluster(exception) =>
                Problems.Create(ErrorCodes.ServiceUnavailable, "A silo of the grid was lost while this call was out; try again."),
            Orleans.Storage.InconsistentStateException =>
                Problems.Create(ErrorCodes.ConcurrencyConflict, "The resource was changed by another writer; read it again and retry."),
            System.Data.Common.DbException =>
                Problems.Create(ErrorCodes.ServiceUnavailable, "The grid's storage is unavailable; nothing was changed. Try again."),
            _ => null,
        };

        if (problem is null && context.RequestAborted.IsCancellationRequested)
        {
            return true;
        }

        if (problem is null)
        {
            logger.LogError(exception, "Unhandled error on {Method} {Path}", context.Request.Method, context.Request.Path);
            problem = Problems.Create(ErrorCodes.Internal, "An unexpected error occurred.");
        }

        if (domain is not null)
        {
            RateLimitHeaders.Write(context.Response, domain);
        }
        else if (problem.ProblemDetails.Extensions.TryGetValue("code", out var code) && code as string == ErrorCodes.ServiceUnavailable)
        {
            // A lost silo or a storage hiccup: the grid is whole again within seconds.
            context.Response.Headers.RetryAfter = "1";
        }

        if (OpenAi.OpenAiErrors.Applies(context))
        {
            // The exception handler cleared the response's headers: the rule applies again.
            OpenAi.OpenAiErrors.ForbidRetryInSessionMode(context);

            var details = problem.ProblemDetails;
            await OpenAi.OpenAiErrors.Result(
                details.Extensions["code"] as string ?? ErrorCodes.Internal, details.Detail ?? details.Title ?? "",
                details.Extensions.TryGetValue("field", out var field) ? field as string : null, details.Status).ExecuteAsync(context);
            return true;
        }

        await problem.ExecuteAsync(context);
        return true;
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult InvalidJson(JsonException json)
    {
        // System.Text.Json reports a value of the wrong type with this message and the property's path;
        // anything else is a syntax error in the body as a whole.
        var wrongType = json.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal)
            && json.Path is { Length: > 2 } && json.Path.StartsWith("$.", StringComparison.Ordinal);
        if (wrongType)
        {
            var field = json.Path![2..];
            return Problems.Create(ErrorCodes.ValidationFailed, $"'{field}' has the wrong type.", field);
        }

        var where = json.LineNumber is { } line ? $" (line {line + 1}, position {json.BytePositionInLine})" : "";
        return Problems.Create(ErrorCodes.ValidationFailed, $"The request body is not valid JSON{where}.", "body");
    }
}
