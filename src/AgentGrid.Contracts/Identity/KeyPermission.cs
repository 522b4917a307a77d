using System.Text.Json.Serialization;

namespace AgentGrid.Contracts.Identity;

/// <summary>What a key may do beyond its role.</summary>
[GenerateSerializer, Alias("agentgrid.key-permission")]
[JsonConverter(typeof(JsonStringEnumConverter<KeyPermission>))]
public enum KeyPermission
{
    /// <summary>Sees and acts on every owner's sessions, memories and tool-call logs of its tenant, as admins do.</summary>
    [JsonStringEnumMemberName("tenant-wide")] TenantWide = 0,
}
