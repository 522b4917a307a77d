using System.Text.Json;
using AgentGrid.Contracts;
using AgentGrid.FrontDoor.Agents;
using AgentGrid.FrontDoor.Chat;
using AgentGrid.FrontDoor.Events;
using AgentGrid.FrontDoor.Errors;
using AgentGrid.FrontDoor.Health;
using AgentGrid.FrontDoor.Models;
using AgentGrid.FrontDoor.OpenAi;
using AgentGrid.FrontDoor.Knowledge;
using AgentGrid.FrontDoor.Mcp;
using AgentGrid.FrontDoor.Memory;
using AgentGrid.FrontDoor.Tools;
using AgentGrid.FrontDoor.Sessions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Configuration;
using AgentGrid.Inference;

using AgentGrid.FrontDoor.Gpu;
using AgentGrid.FrontDoor.Identity;
using AgentGrid.FrontDoor.Usage;
using AgentGrid.FrontDoor.Operations;
using AgentGrid.FrontDoor.Profiles;
using AgentGrid.FrontDoor.Workers;
using AgentGrid.FrontDoor.Workflows;

namespace AgentGrid.FrontDoor;

public static class FrontDoorExtensions
{
    /// <summary>
    /// Registers the front door's services; it needs an <see cref="IGrainFactory"/> from a silo or client. It calls models
    /// itself (<see cref="CompletionPlane"/>) with the endpoints of <c>AgentGrid:Inference</c> in <paramref name="configuration"/>.
    /// </summary>
    public static IServiceCollection AddAgentGridFrontDoor(this IServiceCollection services, IConfiguration configuration)
    {
        // In a silo's process the silo registered them first, checked; a front door of its own calls only what it can.
        services.AddAgentGridModelClients(configuration, validateOnStart: false);
        services.AddSingleton<CompletionPlane>();
        services.AddHttpContextAccessor();
        services.AddScoped<GridServices>();
        services.AddAgentGridMcp();
        services.AddSingleton<Cluster.FailoverRetry>();
        services.AddAgentGridIdentity();
        services.AddAgentGridBrowserSecurity();
        services.AddAgentGridOperations();
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ProblemCodes.AddMissingCode);
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
            o.SerializerOptions.DictionaryKeyPolicy = null;
        });
        services.Configure<KestrelServerOptions>(o => o.Limits.MaxRequestBodySize = Limits.MaxRequestBodyBytes);
        services.AddOpenApi();
        services.AddHealthChecks().AddCheck<GridReadinessCheck>("grid", tags: ["ready"]);
        services.AddSingleton<Sessions.SessionAccess>();
        services.AddSingleton<SessionEventRelay>();
        services.AddSingleton<SessionEventFeed>();
        services.AddSingleton<Models.ModelNames>();
        services.AddSingleton<Agents.AgentDirectory>();
        services.AddOptions<SessionEventFeedOptions>().BindConfiguration(SessionEventFeedOptions.SectionName).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<SessionEventFeedOptions>, SessionEventFeedOptionsValidator>();
        services.AddSignalR(o =>
        {
            // A client must be able to cancel a turn while its SendMessage is still running.
            o.MaximumParallelInvocationsPerClient = 4;
            o.AddFilter<AgentGridHubFilter>();
        }).AddJsonProtocol(o => o.PayloadSerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase);
        return services;
    }

    /// <summary>Maps the REST API, health endpoints and the OpenAPI document.</summary>
    public static IEndpointRouteBuilder MapAgentGridFrontDoor(this WebApplication app)
    {
        app.UseAgentGridForwardedHeaders();
        app.UseMiddleware<CorrelationIds>();
        app.UseAgentGridAudit();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAgentGridBrowserSecurity();
        // The page is public (it is where a key is entered); everything after this needs a key.
        app.UseChatPage();
        app.UseAuthentication();
        app.UseAgentGridApiLimits();
        app.UseAuthorization();
        app.MapAgentGridOperations();
        app.MapOpenApi().RequireAuthorization(Policies.Reader);
        app.MapAgentGridIdentity();
        app.MapAuditApi();
        app.MapUsageApi();
        app.MapAgentsApi();
        app.MapSessionsApi();
        app.MapKnowledgeApi();
        app.MapMemoryApi();
        app.MapToolsApi();
        app.MapMcpServersApi();
        app.MapWorkflowsApi();
        app.MapAgentGridMcp();
        app.MapSessionEventsApi();
        app.MapOpenAiApi();
        app.MapHub<ChatHub>("/hubs/chat").RequireAuthorization(Policies.Reader);
        app.MapModelsApi();
        app.MapProfilesApi();
        app.MapNodesApi();
        app.MapWorkersApi();
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") }).AllowAnonymous();
        return app;
    }
}
