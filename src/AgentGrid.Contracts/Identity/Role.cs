using System.Text.Json.Serialization;

namespace AgentGrid.Contracts.Identity;

/// <summary>What a key may do. Each role includes the ones below it.</summary>
[GenerateSerializer, Alias("agentgrid.role")]
[JsonConverter(typeof(JsonStringEnumConverter<Role>))]
public enum Role
{
    /// <summary>Read-only access to its tenant's agents, sessions and models.</summary>
    [JsonStringEnumMemberName("reader")] Reader = 0,

    /// <summary>Agents, sessions and model calls of its own tenant.</summary>
    [JsonStringEnumMemberName("member")] Member = 1,

    /// <summary>Everything: the GPU control plane, keys, tenants, usage of all tenants, dashboard, audit log.</summary>
    [JsonStringEnumMemberName("admin")] Admin = 2,
}
