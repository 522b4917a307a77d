using System.Text.Json;
using Orleans.Storage;

namespace AgentGrid.Grains.Storage;

/// <summary>
/// Grain state as plain JSON (System.Text.Json, web defaults): the same payload in PostgreSQL as in the embedded
/// SQLite file, readable with SQL, and free of the CLR type names Orleans' default JSON embeds.
/// </summary>
public sealed class JsonGrainStateSerializer : IGrainStorageSerializer
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public BinaryData Serialize<T>(T? input) => BinaryData.FromObjectAsJson(input, Options);

    public T? Deserialize<T>(BinaryData input) => input.ToObjectFromJson<T>(Options);
}
