using AgentGrid.Knowledge.Search;

namespace AgentGrid.Tests.Knowledge.Search;

public sealed class ChunkIndexTests : IDisposable
{
    private readonly ChunkIndex _index = new(2);

    public ChunkIndexTests() => _index.Add(
    [
        // A word of the query "upgrade packages", and a vector pointing away from it.
        new IndexedChunk("words", "doc-words", "How to upgrade with apt, step by step.", "Upgrades", new float[] { 0, 1 }),
        // Close to the query vector, no word of the query.
        new IndexedChunk("meaning", "doc-meaning", "Bringing installed software to newer releases.", null, new float[] { 1, 0.2f }),
        // Best on both sides.
        new IndexedChunk("both", "doc-both", "Upgrade all packages to the next release.", "Releases", new float[] { 1, 0.1f }),
    ]);

    [Fact]
    public void Lexical_mode_ranks_by_words_alone()
    {
        var hits = _index.Search("upgrade packages", ReadOnlyMemory<float>.Empty, 5, SearchMode.Lexical);

        Assert.Equal(["both", "words"], hits.Select(h => h.ChunkId).Order());
    }

    [Fact]
    public void Vector_mode_ranks_by_meaning_alone()
    {
        var hits = _index.Search("", new float[] { 1, 0.25f }, 2, SearchMode.Vector);

        Assert.Equal(["meaning", "both"], hits.Select(h => h.ChunkId));
    }

    [Fact]
    public void Hybrid_mode_puts_the_chunk_found_both_ways_first_and_returns_the_others_after_it()
    {
        var hits = _index.Search("upgrade packages", new float[] { 1, 0 }, 5);

        Assert.Equal("both", hits[0].ChunkId);
        Assert.Equal(["meaning", "words"], hits.Skip(1).Select(h => h.ChunkId).Order());
    }

    [Fact]
    public void Hits_carry_the_chunk_text_heading_and_document()
    {
        var hit = _index.Search("apt", ReadOnlyMemory<float>.Empty, 1, SearchMode.Lexical).Single();

        Assert.Equal(("doc-words", "How to upgrade with apt, step by step.", "Upgrades"), (hit.DocumentId, hit.Text, hit.Heading));
        Assert.True(hit.Score > 0);
    }

    [Fact]
    public void Removing_a_document_removes_it_from_every_mode()
    {
        Assert.Equal(1, _index.RemoveDocument("doc-both"));

        Assert.Equal(2, _index.Count);
        foreach (var mode in Enum.GetValues<SearchMode>())
        {
            Assert.DoesNotContain(_index.Search("upgrade packages", new float[] { 1, 0 }, 5, mode), h => h.ChunkId == "both");
        }
    }

    [Fact]
    public void Vector_and_hybrid_modes_need_the_query_vector()
    {
        Assert.Throws<ArgumentException>(() => _index.Search("upgrade", ReadOnlyMemory<float>.Empty, 5, SearchMode.Vector));
        Assert.Throws<ArgumentException>(() => _index.Search("upgrade", ReadOnlyMemory<float>.Empty, 5, SearchMode.Hybrid));
    }

    [Fact]
    public async Task Searches_running_while_chunks_are_added_and_removed_never_fail()
    {
        var writer = Task.Run(() =>
        {
            for (var i = 0; i < 200; i++)
            {
                _index.Add([new IndexedChunk($"extra-{i}", $"doc-extra-{i % 10}", $"Upgrade note number {i}.", null, new float[] { 1, i })]);
                if (i % 20 == 19)
                {
                    _index.RemoveDocument($"doc-extra-{i % 10}");
                }
            }
        });
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            while (!writer.IsCompleted)
            {
                Assert.NotEmpty(_index.Search("upgrade", new float[] { 1, 0 }, 10));
            }
        }));

        await Task.WhenAll(readers.Append(writer));

        Assert.Equal(_index.Search("", new float[] { 1, 0 }, 1000, SearchMode.Vector).Count, _index.Count);
    }

    public void Dispose() => _index.Dispose();
}
