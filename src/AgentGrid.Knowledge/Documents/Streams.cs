using System.Runtime.InteropServices;

namespace AgentGrid.Knowledge.Documents;

internal static class Streams
{
    /// <summary>A read-only stream over the bytes, without copying them when they live in an array.</summary>
    public static MemoryStream ReadOnly(ReadOnlyMemory<byte> content) =>
        MemoryMarshal.TryGetArray(content, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(content.ToArray(), writable: false);
}
