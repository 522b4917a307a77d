using AgentGrid.Contracts.Errors;
using AgentGrid.FrontDoor.Errors;
using Microsoft.AspNetCore.Http;

namespace AgentGrid.FrontDoor.OpenAi;

/// <summary>Errors on <c>/v1/*</c> in the OpenAI shape, <c>{"error":{"message","type","code","param"}}</c>, with the grid's stable codes.</summary>
public static class OpenAiErrors
{
    public static bool Applies(HttpContext context) => context.Request.Path.StartsWithSegments("/v1");

    /// <summary>
    /// A retried session-mode call would append the user message again, so such calls tell the OpenAI
    /// SDKs (which honour <c>x-should-retry</c>) not to retry, whether they succeed or fail.
    /// </summary>
    public static void ForbidRetryInSessionMode(HttpContext context)
    {
        if (context.Request.Headers.ContainsKey(ChatCompletionsEndpoint.SessionHeader))
        {
            context.Response.Headers["x-should-retry"] = "false";
        }
    }

    /// <summary>A session turn that waits for a member to approve its tool calls has no reply to return yet.</summary>
    public static AgentGridException AwaitingApproval(Contracts.Sessions.ChatTurn turn) =>
        new(ErrorCodes.ApprovalPending,
            $"The agent's tool call(s) {string.Join(", ", turn.PendingApprovals.Select(c => $"'{c.Id}' ({c.Name})"))} wait for a member's approval; "
            + "decide them with POST /api/sessions/{id}/approvals/{callId}, then read the reply from the session.");

    public static IResult Result(string code, string message, string? param = null, int? status = null)
    {
        var statusCode = status ?? Problems.StatusFor(code);
        return Results.Json(Body(code, message, param, statusCode), OpenAiJson.Options, statusCode: statusCode);
    }

    public static IResult From(AgentGridException error) => Result(error.Code, error.Message, error.Field);

    public static OpenAiErrorBody Body(string code, string message, string? param, int status) =>
        new(new OpenAiError(message, TypeFor(status), code, param));

    private static string TypeFor(int status) => status switch
    {
        401 or 403 => "authentication_error",
        429 => "rate_limit_error",
        >= 500 => "server_error",
        _ => "invalid_request_error",
    };
}
