using System.Numerics;
using System.Runtime.InteropServices;

namespace AgentGrid.Knowledge.Search;

/// <summary>Dot products and normalisation over spans, with the widest SIMD registers the machine has.</summary>
internal static class VectorMath
{
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var left = MemoryMarshal.Cast<float, Vector<float>>(a);
        var right = MemoryMarshal.Cast<float, Vector<float>>(b[..a.Length]);
        // Two accumulators let consecutive multiply-adds overlap instead of waiting on each other.
        Vector<float> even = default, odd = default;
        var i = 0;
        for (; i + 1 < left.Length; i += 2)
        {
            even += left[i] * right[i];
            odd += left[i + 1] * right[i + 1];
        }

        if (i < left.Length)
        {
            even += left[i] * right[i];
        }

        var sum = Vector.Sum(even + odd);
        for (var j = left.Length * Vector<float>.Count; j < a.Length; j++)
        {
            sum += a[j] * b[j];
        }

        return sum;
    }

    /// <summary>Scales <paramref name="values"/> to unit length in place; a zero vector stays zero.</summary>
    public static void Normalize(Span<float> values)
    {
        var norm = MathF.Sqrt(Dot(values, values));
        if (norm > 0 && float.IsFinite(norm))
        {
            for (var i = 0; i < values.Length; i++)
            {
                values[i] /= norm;
            }
        }
    }
}
