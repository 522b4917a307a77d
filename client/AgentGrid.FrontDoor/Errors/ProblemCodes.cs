using AgentGrid.Contracts.Errors;
using Microsoft.AspNetCore.Http;

namespace AgentGrid.FrontDoor.Errors;

/// <summary>Gives framework-made problems (unknown route, wrong method) a stable code too.</summary>
public static class ProblemCodes
{
    public static void AddMissingCode(ProblemDetailsContext context) =>
        context.ProblemDetails.Extensions.TryAdd("code", context.ProblemDetails.Status switch
        {
            StatusCodes.Status400BadRequest => ErrorCodes.ValidationFailed,
            StatusCodes.Status404NotFound => ErrorCodes.NotFound,
            StatusCodes.Status405MethodNotAllowed => ErrorCodes.MethodNotAllowed,
            StatusCodes.Status413PayloadTooLarge => ErrorCodes.PayloadTooLarge,
            StatusCodes.Status415UnsupportedMediaType => ErrorCodes.UnsupportedMediaType,
            StatusCodes.Status500InternalServerError => ErrorCodes.Internal,
            var status => $"http_{status}",
        });
}
