using AgentGrid.Knowledge.Search;

namespace AgentGrid.Tests.Knowledge.Search;

public sealed class LexicalIndexTests : IDisposable
{
    private readonly LexicalIndex _index = new();

    public LexicalIndexTests() => _index.Add(
    [
        Chunk("install-1", "install", "The installation of Debian starts from a netinst image written to a USB stick."),
        Chunk("kernel-1", "kernel", "Each kernel package ships its modules; reboot to use a new kernel."),
        Chunk("kernel-2", "kernel", "Compile a custom kernel with make-kpkg or the upstream deb-pkg target."),
        Chunk("mail-1", "mail", "Mailing lists are archived on lists.debian.org and can be searched."),
    ]);

    [Fact]
    public void Stemming_lets_installing_find_installation()
    {
        var results = _index.Search("installing", 5);

        Assert.Equal("install-1", Assert.Single(results).ChunkId);
    }

    [Fact]
    public void Without_stemming_installing_does_not_find_installation()
    {
        using var index = new LexicalIndex(new LexicalIndexOptions { Stemming = Stemming.None });
        index.Add([Chunk("install-1", "install", "The installation of Debian starts from a netinst image.")]);

        Assert.Empty(index.Search("installing", 5));
        Assert.Single(index.Search("installation", 5));
    }

    [Fact]
    public void Question_words_are_stop_words_by_default_but_not_with_the_short_list()
    {
        using var shortList = new LexicalIndex(new LexicalIndexOptions { StopWords = StopWords.Short });
        shortList.Add([Chunk("what", "d", "What you see is what you get.")]);

        Assert.Empty(_index.Search("what does how", 5));
        Assert.Single(shortList.Search("what", 5));
    }

    [Fact]
    public void Results_are_ranked_best_first_with_positive_scores()
    {
        var results = _index.Search("custom kernel", 5);

        Assert.Equal(["kernel-2", "kernel-1"], results.Select(r => r.ChunkId));
        Assert.True(results[0].Score > results[1].Score);
        Assert.All(results, r => Assert.True(r.Score > 0));
    }

    [Fact]
    public void Removing_a_document_removes_all_its_chunks_from_results_and_count()
    {
        _index.RemoveDocument("kernel");

        Assert.Empty(_index.Search("kernel", 5));
        Assert.Equal(2, _index.Count);
        Assert.Equal("mail-1", Assert.Single(_index.Search("mailing lists", 5)).ChunkId);
    }

    [Fact]
    public void Adding_a_chunk_id_again_replaces_its_text()
    {
        _index.Add([Chunk("mail-1", "mail", "Forums and IRC channels also answer questions.")]);

        Assert.Empty(_index.Search("archived", 5));
        Assert.Equal("mail-1", Assert.Single(_index.Search("forums", 5)).ChunkId);
        Assert.Equal(4, _index.Count);
    }

    [Theory]
    [InlineData("\"unterminated quote")]
    [InlineData("kernel:module")]
    [InlineData("(kernel AND")]
    [InlineData("*kern* OR ?")]
    [InlineData("kernel~2 ^3 [a TO b} \\ / ! && || - +")]
    [InlineData("NOT AND OR")]
    public void Queries_with_lucene_syntax_never_throw_and_still_match_their_words(string query)
    {
        var results = _index.Search(query, 5);

        Assert.All(results, r => Assert.StartsWith("kernel", r.ChunkId));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("the and of")]
    [InlineData("?!:")]
    public void A_query_without_searchable_words_returns_nothing(string query) =>
        Assert.Empty(_index.Search(query, 5));

    [Fact]
    public void A_heading_match_counts_but_less_than_a_text_match()
    {
        using var index = new LexicalIndex();
        index.Add(
        [
            new IndexedChunk("in-heading", "a", "Nothing relevant here at all.", "Upgrading", ReadOnlyMemory<float>.Empty),
            new IndexedChunk("in-text", "b", "Upgrading is done with apt.", "Packages", ReadOnlyMemory<float>.Empty),
        ]);

        var results = index.Search("upgrading", 5);

        Assert.Equal(["in-text", "in-heading"], results.Select(r => r.ChunkId));
    }

    public void Dispose() => _index.Dispose();

    private static IndexedChunk Chunk(string id, string document, string text) =>
        new(id, document, text, null, ReadOnlyMemory<float>.Empty);
}
