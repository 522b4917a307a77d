using AgentGrid.Knowledge.Search;

namespace AgentGrid.Tests.Knowledge.Search;

public sealed class VectorIndexTests : IDisposable
{
    private readonly VectorIndex _index = new(3);

    public VectorIndexTests() => _index.Add(
    [
        Chunk("x", "doc-x", 1, 0, 0),
        Chunk("xy", "doc-xy", 1, 1, 0),
        Chunk("y", "doc-y", 0, 1, 0),
        Chunk("z", "doc-z", 0, 0, 1),
    ]);

    [Fact]
    public void Neighbours_come_in_order_of_cosine_similarity()
    {
        var results = _index.Search([0.9f, 0.2f, 0], 4);

        Assert.Equal(["x", "xy", "y", "z"], results.Select(r => r.ChunkId));
        Assert.Equal(0.9 / Math.Sqrt(0.85), results[0].Score, 5);
        Assert.Equal(0, results[3].Score, 5);
    }

    [Fact]
    public void Vectors_and_queries_are_normalised_so_length_does_not_matter()
    {
        _index.Add([Chunk("long-y", "doc-long", 0, 50, 0.1f)]);

        var results = _index.Search([0, 0.001f, 0], 2);

        Assert.Equal(["y", "long-y"], results.Select(r => r.ChunkId));
        Assert.Equal(1, results[0].Score, 5);
    }

    [Fact]
    public void Removing_a_document_in_the_middle_keeps_the_moved_chunk_findable_by_its_own_id()
    {
        var removed = _index.RemoveDocument("doc-xy");

        Assert.Equal(["xy"], removed);
        Assert.Equal(3, _index.Count);
        Assert.Equal("z", _index.Search([0, 0, 1], 1)[0].ChunkId);
        Assert.Equal("x", _index.Search([1, 0, 0], 1)[0].ChunkId);
        Assert.DoesNotContain(_index.Search([1, 1, 0], 10), r => r.ChunkId == "xy");
    }

    [Fact]
    public void Removing_a_document_removes_all_its_chunks_and_nothing_else()
    {
        _index.Add([Chunk("x2", "doc-x", 1, 0, 0.1f)]);

        _index.RemoveDocument("doc-x");

        Assert.Equal(["xy", "y", "z"], _index.Search([1, 0, 0], 10).Select(r => r.ChunkId).Order());
        Assert.Empty(_index.RemoveDocument("doc-x"));
    }

    [Fact]
    public void Asking_for_more_than_the_index_holds_returns_everything()
    {
        Assert.Equal(4, _index.Search([1, 0, 0], 100).Count);
        Assert.Empty(_index.Search([1, 0, 0], 0));
    }

    [Fact]
    public void Equal_scores_come_back_in_a_stable_order_so_a_shorter_list_starts_the_longer_one()
    {
        _index.Add(Enumerable.Range(0, 6).Select(i => Chunk($"twin-{i}", $"doc-twin-{i}", 0, 1, 0)));

        var five = _index.Search([0, 1, 0], 5).Select(r => r.ChunkId).ToList();
        var two = _index.Search([0, 1, 0], 2).Select(r => r.ChunkId).ToList();

        Assert.Equal(five.Take(2), two);
        Assert.Equal(["y", "twin-0", "twin-1", "twin-2", "twin-3"], five);
    }

    [Fact]
    public void Adding_a_chunk_id_again_replaces_its_vector_and_document()
    {
        _index.Add([Chunk("x", "doc-moved", 0, 0, -1)]);

        Assert.Equal(4, _index.Count);
        Assert.Equal("x", _index.Search([0, 0, -1], 1)[0].ChunkId);
        Assert.Empty(_index.RemoveDocument("doc-x"));
        Assert.Equal(["x"], _index.RemoveDocument("doc-moved"));
    }

    [Fact]
    public void Vectors_of_the_wrong_length_are_refused_and_nothing_of_the_batch_is_added()
    {
        Assert.Throws<ArgumentException>(() => _index.Add([Chunk("ok", "d", 1, 0, 0), Chunk("bad", "d", 1, 0)]));
        Assert.Throws<ArgumentException>(() => _index.Search([1, 0], 1));
        Assert.Equal(4, _index.Count);
    }

    [Fact]
    public void Many_vectors_with_removals_still_give_the_exact_nearest_neighbours()
    {
        var random = new Random(3);
        using var index = new VectorIndex(37);
        var vectors = Enumerable.Range(0, 500).Select(_ => Enumerable.Range(0, 37).Select(_ => random.NextSingle() - 0.5f).ToArray()).ToArray();
        index.Add(vectors.Select((v, i) => new IndexedChunk($"c{i}", $"d{i % 50}", "", null, v)));
        for (var d = 0; d < 50; d += 3)
        {
            index.RemoveDocument($"d{d}");
        }

        var query = vectors[7];
        var expected = vectors.Select((v, i) => (Id: $"c{i}", Cosine: Cosine(query, v)))
            .Where(e => int.Parse(e.Id[1..]) % 50 % 3 != 0)
            .OrderByDescending(e => e.Cosine).Take(10).Select(e => e.Id);

        Assert.Equal(expected, index.Search(query, 10).Select(r => r.ChunkId));
    }

    public void Dispose() => _index.Dispose();

    private static IndexedChunk Chunk(string id, string document, params float[] vector) => new(id, document, id, null, vector);

    private static double Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }

        return dot / Math.Sqrt(na * nb);
    }
}
