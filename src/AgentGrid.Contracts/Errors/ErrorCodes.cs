namespace AgentGrid.Contracts.Errors;

/// <summary>The stable error codes that every API surface reports in its <c>code</c> field.</summary>
public static class ErrorCodes
{
    public const string ValidationFailed = "validation_failed";
    public const string AgentNotFound = "agent_not_found";
    public const string AgentVersionNotFound = "agent_version_not_found";
    public const string AgentNameConflict = "agent_name_conflict";
    public const string AgentExists = "agent_already_exists";
    public const string SessionExists = "session_already_exists";
    public const string TurnCancelled = "turn_cancelled";
    public const string TurnInterrupted = "turn_interrupted";
    public const string EventsExpired = "events_expired";
    public const string TooManyStreams = "too_many_streams";
    public const string SessionNotFound = "session_not_found";
    public const string ModelNotFound = "model_not_found";
    public const string ModelUnavailable = "model_unavailable";
    public const string ModelRejected = "model_rejected";
    public const string MethodNotAllowed = "method_not_allowed";
    public const string ConcurrencyConflict = "concurrency_conflict";
    public const string PayloadTooLarge = "payload_too_large";
    public const string UnsupportedMediaType = "unsupported_media_type";
    public const string ServiceUnavailable = "service_unavailable";
    public const string NotFound = "not_found";
    public const string Internal = "internal_error";
    public const string ProfileNotFound = "profile_not_found";
    public const string ProfileExists = "profile_already_exists";
    public const string NodeNotFound = "node_not_found";
    public const string NodeUnavailable = "node_unavailable";
    public const string WorkerNotFound = "worker_not_found";
    public const string WorkerStateConflict = "worker_state_conflict";
    public const string InsufficientGpuCapacity = "insufficient_gpu_capacity";

    /// <summary>A profile sent to the API carries a command line, extra arguments or an environment, which only operators may set.</summary>
    public const string CustomCommandNotAllowed = "custom_command_not_allowed";

    /// <summary>The model lacks a capability the request needs (tools, images, embeddings).</summary>
    public const string CapabilityMissing = "model_capability_missing";
    public const string CapacityExhausted = "capacity_exhausted";
    public const string NoReadyWorker = "no_ready_worker";
    public const string Unauthenticated = "unauthenticated";
    public const string Forbidden = "forbidden";
    public const string RateLimited = "rate_limited";
    public const string BudgetExceeded = "budget_exceeded";
    public const string TenantNotFound = "tenant_not_found";
    public const string TenantExists = "tenant_already_exists";
    public const string KeyNotFound = "key_not_found";
    public const string PromptTooLarge = "prompt_too_large";
    public const string KnowledgeBaseNotFound = "knowledge_base_not_found";
    public const string DocumentNotFound = "document_not_found";
    public const string MemoryNotFound = "memory_not_found";

    /// <summary>The file's type is not one a knowledge base reads (txt, md, html, docx, pdf).</summary>
    public const string UnsupportedDocumentType = "unsupported_document_type";

    /// <summary>The file's content is not what its name or declared type says.</summary>
    public const string DocumentTypeMismatch = "document_type_mismatch";

    /// <summary>The PDF is password-protected or encrypted.</summary>
    public const string DocumentEncrypted = "document_encrypted";

    /// <summary>The file cannot be parsed (truncated, corrupt, not valid for its type).</summary>
    public const string DocumentCorrupt = "document_corrupt";

    /// <summary>The file, or what it expands to (a zip bomb inside a docx), is over the size limit.</summary>
    public const string DocumentTooLarge = "document_too_large";

    /// <summary>
    /// The file's structure asks for more work than allowed: a compressed stream (a Flate bomb) or the document as a
    /// whole decodes past its cap, or objects are nested too deeply.
    /// </summary>
    public const string DocumentTooComplex = "document_too_complex";

    /// <summary>Reading the file's text took longer than the time allowed per file.</summary>
    public const string DocumentTimeout = "document_timeout";

    /// <summary>More files in one upload, or documents in one knowledge base, than allowed.</summary>
    public const string TooManyDocuments = "too_many_documents";

    /// <summary>A file name with a path separator, a control character, or nothing usable.</summary>
    public const string InvalidDocumentName = "invalid_document_name";

    /// <summary>The file holds no text to index.</summary>
    public const string DocumentEmpty = "document_empty";

    public const string ToolNotFound = "tool_not_found";
    public const string ToolNameConflict = "tool_name_conflict";

    /// <summary>The tool is disabled, or its kind cannot run here.</summary>
    public const string ToolDisabled = "tool_disabled";

    /// <summary>The tool ran and failed (its backend answered an error, a file was missing, a query failed).</summary>
    public const string ToolFailed = "tool_failed";

    /// <summary>The tool did not finish within its <c>timeoutMs</c>.</summary>
    public const string ToolTimeout = "tool_timeout";

    /// <summary>
    /// A <c>files</c> or <c>sqlite</c> tool's write would take the tenant's tool storage, or the tool storage of the whole
    /// grid, past its byte or file cap (<c>AgentGrid:Tools:MaxTenantBytes</c>, <c>MaxTenantFiles</c>, <c>MaxTotalBytes</c>,
    /// <c>MaxTotalFiles</c>), or the volume itself is full. Nothing of the refused write is kept; deleting makes room.
    /// </summary>
    public const string ToolStorageFull = "tool_storage_full";

    /// <summary>An outbound URL resolves to an address the SSRF guard refuses (loopback, private, link-local, metadata…).</summary>
    public const string UrlNotAllowed = "url_not_allowed";

    /// <summary>An outbound response was larger than allowed.</summary>
    public const string ResponseTooLarge = "response_too_large";

    public const string McpServerNotFound = "mcp_server_not_found";

    /// <summary>No tool call of the session waits for approval under that id (never requested, or already decided).</summary>
    public const string ApprovalNotFound = "approval_not_found";

    /// <summary>The arguments an approval names differ from those the tool call would run with.</summary>
    public const string ApprovalMismatch = "approval_mismatch";

    /// <summary>The session's turn waits for a tool-call approval; decide it before sending another message.</summary>
    public const string ApprovalPending = "approval_pending";

    /// <summary>A member denied the tool call.</summary>
    public const string ToolDenied = "tool_denied";

    public const string WorkflowNotFound = "workflow_not_found";
    public const string WorkflowRunNotFound = "workflow_run_not_found";

    /// <summary>The run is not in a state that allows this (cancel a finished run, approve a step not waiting).</summary>
    public const string WorkflowRunConflict = "workflow_run_conflict";

    /// <summary>A workflow run hit one of its limits: steps, time, or budget.</summary>
    public const string WorkflowLimitExceeded = "workflow_limit_exceeded";

    /// <summary>A workflow step failed; the run stops there.</summary>
    public const string WorkflowStepFailed = "workflow_step_failed";

    /// <summary>A workflow run waited for a decision longer than its approval TTL: it failed, and the step can no longer be decided.</summary>
    public const string ApprovalExpired = "approval_expired";

    /// <summary>
    /// The tenant already holds as many of this kind (knowledge bases, tools, agents, workflows, MCP servers, or versions
    /// of one agent) as <c>AgentGrid:TenantCaps</c> allows; deleting one makes room. Nothing of the refused create is kept.
    /// </summary>
    public const string TenantQuotaExceeded = "tenant_quota_exceeded";
}
