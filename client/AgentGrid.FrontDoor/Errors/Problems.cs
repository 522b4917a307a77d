using AgentGrid.Contracts.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentGrid.FrontDoor.Errors;

/// <summary>The one place HTTP errors are made: RFC 7807 problem details with a stable <c>code</c>.</summary>
public static class Problems
{
    public static int StatusFor(string code) => code switch
    {
        ErrorCodes.ValidationFailed => StatusCodes.Status400BadRequest,
        ErrorCodes.AgentNotFound or ErrorCodes.AgentVersionNotFound or ErrorCodes.SessionNotFound
            or ErrorCodes.ModelNotFound or ErrorCodes.NotFound or ErrorCodes.ProfileNotFound
            or ErrorCodes.NodeNotFound or ErrorCodes.WorkerNotFound or ErrorCodes.TenantNotFound
            or ErrorCodes.KeyNotFound or ErrorCodes.KnowledgeBaseNotFound or ErrorCodes.DocumentNotFound
            or ErrorCodes.MemoryNotFound or ErrorCodes.ToolNotFound or ErrorCodes.McpServerNotFound
            or ErrorCodes.ApprovalNotFound or ErrorCodes.WorkflowNotFound or ErrorCodes.WorkflowRunNotFound => StatusCodes.Status404NotFound,
        ErrorCodes.ToolNameConflict or ErrorCodes.ToolDisabled or ErrorCodes.ApprovalMismatch or ErrorCodes.ApprovalPending
            or ErrorCodes.ToolDenied or ErrorCodes.WorkflowRunConflict => StatusCodes.Status409Conflict,
        ErrorCodes.WorkflowLimitExceeded or ErrorCodes.WorkflowStepFailed => StatusCodes.Status422UnprocessableEntity,
        ErrorCodes.UrlNotAllowed or ErrorCodes.CapabilityMissing => StatusCodes.Status400BadRequest,
        ErrorCodes.CustomCommandNotAllowed => StatusCodes.Status403Forbidden,
        ErrorCodes.ToolFailed or ErrorCodes.ResponseTooLarge => StatusCodes.Status502BadGateway,
        ErrorCodes.ToolTimeout => StatusCodes.Status504GatewayTimeout,
        // The tool's storage cannot take the write (WebDAV's status for it); like a tenant quota, only a delete makes room.
        ErrorCodes.ToolStorageFull => StatusCodes.Status507InsufficientStorage,
        ErrorCodes.UnsupportedDocumentType => StatusCodes.Status415UnsupportedMediaType,
        ErrorCodes.DocumentTypeMismatch or ErrorCodes.DocumentEncrypted or ErrorCodes.DocumentCorrupt
            or ErrorCodes.DocumentEmpty or ErrorCodes.DocumentTooComplex or ErrorCodes.DocumentTimeout => StatusCodes.Status422UnprocessableEntity,
        ErrorCodes.DocumentTooLarge => StatusCodes.Status413PayloadTooLarge,
        ErrorCodes.TooManyDocuments or ErrorCodes.InvalidDocumentName => StatusCodes.Status400BadRequest,
        ErrorCodes.ProfileExists or ErrorCodes.WorkerStateConflict or ErrorCodes.InsufficientGpuCapacity => StatusCodes.Status409Conflict,
        ErrorCodes.CapacityExhausted => StatusCodes.Status429TooManyRequests,
        ErrorCodes.NoReadyWorker or ErrorCodes.NodeUnavailable => StatusCodes.Status503ServiceUnavailable,
        ErrorCodes.AgentNameConflict or ErrorCodes.AgentExists or ErrorCodes.SessionExists
            or ErrorCodes.ConcurrencyConflict or ErrorCodes.TurnCancelled => StatusCodes.Status409Conflict,
        ErrorCodes.EventsExpired or ErrorCodes.ApprovalExpired => StatusCodes.Status410Gone,
        ErrorCodes.Unauthenticated => StatusCodes.Status401Unauthorized,
        ErrorCodes.Forbidden => StatusCodes.Status403Forbidden,
        ErrorCodes.RateLimited or ErrorCodes.BudgetExceeded => StatusCodes.Status429TooManyRequests,
        ErrorCodes.TenantExists => StatusCodes.Status409Conflict,
        // Not 429: waiting never frees a slot, only a delete does, so it conflicts with the tenant's current state.
        ErrorCodes.TenantQuotaExceeded => StatusCodes.Status409Conflict,
        ErrorCodes.PromptTooLarge => StatusCodes.Status400BadRequest,
        ErrorCodes.TooManyStreams => StatusCodes.Status429TooManyRequests,
        ErrorCodes.PayloadTooLarge => StatusCodes.Status413PayloadTooLarge,
        ErrorCodes.UnsupportedMediaType => StatusCodes.Status415UnsupportedMediaType,
        ErrorCodes.MethodNotAllowed => StatusCodes.Status405MethodNotAllowed,
        ErrorCodes.ModelRejected => StatusCodes.Status502BadGateway,
        ErrorCodes.ModelUnavailable or ErrorCodes.ServiceUnavailable or ErrorCodes.TurnInterrupted => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    public static ProblemHttpResult Create(string code, string detail, string? field = null, int? status = null)
    {
        var statusCode = status ?? StatusFor(code);
        var extensions = new Dictionary<string, object?> { ["code"] = code };
        if (field is not null)
        {
            extensions["field"] = field;
            extensions["errors"] = new Dictionary<string, string[]> { [field] = [detail] };
        }

        return TypedResults.Problem(
            detail: detail,
            statusCode: statusCode,
            title: Title(code),
            type: $"https://agentgrid.dev/errors/{code}",
            extensions: extensions);
    }

    public static ProblemHttpResult From(AgentGridException error) => Create(error.Code, error.Message, error.Field);

    public static ProblemHttpResult AgentNotFound(string id) => From(AgentGridException.AgentNotFound(id));

    public static ProblemHttpResult SessionNotFound(string id) => From(AgentGridException.SessionNotFound(id));

    private static string Title(string code) => code switch
    {
        ErrorCodes.ValidationFailed => "The request is not valid.",
        ErrorCodes.AgentNotFound => "Agent not found.",
        ErrorCodes.AgentVersionNotFound => "Agent version not found.",
        ErrorCodes.SessionNotFound => "Session not found.",
        ErrorCodes.ModelNotFound => "Model not found.",
        ErrorCodes.AgentNameConflict => "Agent name already in use.",
        ErrorCodes.ModelUnavailable => "The model is unavailable.",
        ErrorCodes.ModelRejected => "The model rejected the request.",
        ErrorCodes.ConcurrencyConflict => "The resource was changed concurrently.",
        ErrorCodes.PayloadTooLarge => "The request body is too large.",
        ErrorCodes.UnsupportedMediaType => "The request body must be JSON.",
        ErrorCodes.ServiceUnavailable => "The service is unavailable.",
        ErrorCodes.InsufficientGpuCapacity => "Not enough free GPU memory.",
        ErrorCodes.CapacityExhausted => "Every worker of the model is busy.",
        ErrorCodes.NoReadyWorker => "No worker of the model is ready.",
        ErrorCodes.Unauthenticated => "An API key is required.",
        ErrorCodes.Forbidden => "Not allowed for this key.",
        ErrorCodes.RateLimited => "Rate limit reached.",
        ErrorCodes.BudgetExceeded => "Budget exceeded.",
        ErrorCodes.TenantQuotaExceeded => "Tenant quota exceeded.",
        ErrorCodes.ToolStorageFull => "Tool storage is full.",
        _ => code.Replace('_', ' '),
    };
}
