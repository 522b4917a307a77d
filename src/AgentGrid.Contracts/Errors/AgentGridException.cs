namespace AgentGrid.Contracts.Errors;

/// <summary>
/// A domain error that crosses grain calls intact: the front door turns its <see cref="Code"/>
/// into an HTTP status and a problem-details body.
/// </summary>
[GenerateSerializer]
[Alias("agentgrid.error")]
public sealed class AgentGridException : Exception
{
    public AgentGridException(string code, string message, string? field = null)
        : base(message)
    {
        Code = code;
        Field = field;
    }

    /// <summary>One of <see cref="ErrorCodes"/>.</summary>
    [Id(0)]
    public string Code { get; private set; }

    /// <summary>The request field at fault, as a JSON path such as <c>parameters.temperature</c>.</summary>
    [Id(1)]
    public string? Field { get; private set; }

    /// <summary>When set, the caller may retry after this many seconds (HTTP <c>Retry-After</c>).</summary>
    [Id(2)]
    public int? RetryAfterSeconds { get; init; }

    /// <summary>False when retrying cannot help (HTTP <c>x-should-retry: false</c>), e.g. an exhausted budget.</summary>
    [Id(3)]
    public bool? ShouldRetry { get; init; }

    /// <summary>The rate windows at the time of a <c>rate_limited</c> refusal (HTTP <c>x-ratelimit-*</c>).</summary>
    [Id(4)]
    public Identity.RateLimitState? RateLimit { get; init; }

    public static AgentGridException Validation(string field, string message) =>
        new(ErrorCodes.ValidationFailed, message, field);

    public static AgentGridException AgentNotFound(string agentId) =>
        new(ErrorCodes.AgentNotFound, $"Agent '{agentId}' does not exist.");

    public static AgentGridException SessionNotFound(string sessionId) =>
        new(ErrorCodes.SessionNotFound, $"Session '{sessionId}' does not exist.");

    public static AgentGridException ModelUnavailable(string model, string reason) =>
        new(ErrorCodes.ModelUnavailable, $"Model '{model}' is unavailable: {reason}");
}
