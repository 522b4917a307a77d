using System.Text.Json;
using AgentGrid.Grains.Storage;

namespace AgentGrid.Grains.Records;

/// <summary>Row bodies as JSON, with the options grain state uses.</summary>
public static class RecordJson
{
    public static byte[] Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, JsonGrainStateSerializer.Options);

    public static T Deserialize<T>(byte[] body) => JsonSerializer.Deserialize<T>(body, JsonGrainStateSerializer.Options)!;

    public static StoredRecord Record<T>(string id, T value) => new(id, Serialize(value));
}
