using System.Text.Json;

namespace AgentGrid.FrontDoor.Events;

/// <summary>How session events look on the wire to SSE and SignalR clients: camelCase, absent fields left out.</summary>
public static class SessionEventJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
