using AgentGrid.Grains.Agents;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AgentGrid.Grains;

public static class GrainsServiceCollectionExtensions
{
    /// <summary>Registers what the grid's grains depend on, other than storage and inference (model calls come with <c>AddAgentGridInference</c>, embedding models with <c>AddAgentGridEmbeddings</c>).</summary>
    public static IServiceCollection AddAgentGridGrains(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<AgentDefinitionValidator>();
        services.AddSingleton<Memory.ModelContexts>();
        services.AddSingleton<Memory.SessionSummarizer>();
        services.AddSingleton<AgentGrid.Inference.Tokens.TokenCounter>();
        services.AddSingleton<Sessions.SessionServices>();
        services.AddOptions<Identity.TenantCapsOptions>().BindConfiguration(Identity.TenantCapsOptions.SectionName).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<Identity.TenantCapsOptions>, Identity.TenantCapsOptionsValidator>();
        services.AddOptions<Identity.TenantConcurrencyOptions>().BindConfiguration(Identity.TenantConcurrencyOptions.SectionName).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<Identity.TenantConcurrencyOptions>, Identity.TenantConcurrencyOptionsValidator>();
        services.AddSingleton<Identity.TenantWorkSlots>();
        services.AddOptions<Knowledge.KnowledgeOptions>().BindConfiguration(Knowledge.KnowledgeOptions.SectionName).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<Knowledge.KnowledgeOptions>, Knowledge.KnowledgeOptionsValidator>();
        services.AddSingleton<Knowledge.IngestionSlots>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, Knowledge.KnowledgeResumer>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, Workflows.WorkflowResumer>();
        services.AddOptions<Workflows.WorkflowOptions>().BindConfiguration(Workflows.WorkflowOptions.SectionName).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<Workflows.WorkflowOptions>, Workflows.WorkflowOptionsValidator>();
        services.AddOptions<Tools.ToolOptions>().BindConfiguration(Tools.ToolOptions.SectionName).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<Tools.ToolOptions>, Tools.ToolOptionsValidator>();
        services.AddSingleton<Tools.Builtins.ToolStorage>();
        services.AddSingleton<Tools.ToolRunner>();
        services.AddOptions<Outbound.OutboundOptions>().BindConfiguration(Outbound.OutboundOptions.SectionName).ValidateOnStart();
        services.AddOptions<Tools.Mcp.McpStdioOptions>().BindConfiguration(Tools.Mcp.McpStdioOptions.SectionName).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<Tools.Mcp.McpStdioOptions>, Tools.Mcp.McpStdioOptionsValidator>();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<Outbound.OutboundOptions>, Outbound.OutboundOptionsValidator>();
        services.AddSingleton<Outbound.OutboundHttp>();
        services.AddSingleton<Tools.Mcp.StdioProcessSlots>();
        services.AddOptions<Secrets.StateSecretOptions>().BindConfiguration(Secrets.StateSecretOptions.SectionName).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<Secrets.StateSecretOptions>, Secrets.StateSecretOptionsValidator>();
        services.AddSingleton<Secrets.StateSecrets>();
        services.AddSingleton<Tools.Mcp.McpConnection>();
        services.AddOptions<Usage.UsageOptions>().BindConfiguration(Usage.UsageOptions.SectionName).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<Usage.UsageOptions>, Usage.UsageOptionsValidator>();
        services.AddSingleton<Workers.Node.ModelServerHost>();
        services.AddSingleton<Embeddings.WorkerEmbeddings>();
        services.AddSingleton<Gpu.GpuDiscovery>();
        services.AddOptions<Gpu.GpuOptions>().BindConfiguration(Gpu.GpuOptions.SectionName).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<Gpu.GpuOptions>, Gpu.GpuOptionsValidator>();
        services.AddOptions<Workers.Pool.PoolOptions>().BindConfiguration(Workers.Pool.PoolOptions.SectionName).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<Workers.Pool.PoolOptions>, Workers.Pool.PoolOptionsValidator>();
        services.AddOptions<Sessions.SessionOptions>().BindConfiguration(Sessions.SessionOptions.SectionName).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<Sessions.SessionOptions>, Sessions.SessionOptionsValidator>();
        return services;
    }
}
