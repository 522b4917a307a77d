using AgentGrid.Contracts.Errors;
using AgentGrid.Knowledge.Documents;

namespace AgentGrid.Tests.Knowledge.Documents;

public sealed class ChunkerTests
{
    private static readonly ChunkingOptions Small = new() { MaxChars = 200, OverlapChars = 40 };

    // Sentences of varied length, numbered so that every word in the text is distinct.
    private static string Prose(string topic, int sentences) => string.Join(' ', Enumerable.Range(0, sentences).Select(i =>
        $"The {topic} note {i} says{string.Concat(Enumerable.Repeat($" {topic}word{i}", i % 7 + 1))} and ends here{(i % 3 == 0 ? "!" : ".")}"));

    private static ExtractedDocument Document(params DocumentSection[] sections) => new(sections);

    // The length of the longest start of next that previous ends with.
    private static int Overlap(string previous, string next) =>
        Enumerable.Range(0, Math.Min(previous.Length, next.Length) + 1)
            .Last(length => previous.EndsWith(next[..length], StringComparison.Ordinal));

    private static string[] Words(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public void Small_paragraphs_of_a_section_are_packed_whole_into_one_chunk_without_the_heading()
    {
        var chunks = Chunker.Split(Document(new DocumentSection("Setup", "First paragraph.\n\nSecond paragraph.")), Small);

        Assert.Equal([new DocumentChunk(0, "Setup", "First paragraph.\n\nSecond paragraph.")], chunks);
    }

    [Fact]
    public void Chunks_never_exceed_the_maximum_and_keep_every_word_whole()
    {
        var text = $"{Prose("alpha", 30)}\n\nA short paragraph.\n\n{Prose("beta", 12)}";

        var chunks = Chunker.Split(Document(new DocumentSection(null, text)), Small);

        Assert.True(chunks.Count > 5);
        Assert.All(chunks, chunk => Assert.InRange(chunk.Text.Length, 1, Small.MaxChars));
        var words = Words(text).ToHashSet();
        Assert.All(chunks.SelectMany(chunk => Words(chunk.Text)), word => Assert.Contains(word, words));
        Assert.Equal(Words(text).ToHashSet(), chunks.SelectMany(chunk => Words(chunk.Text)).ToHashSet());
    }

    [Fact]
    public void Consecutive_chunks_of_a_section_overlap_by_about_the_overlap_at_a_boundary()
    {
        var chunks = Chunker.Split(Document(new DocumentSection("Long", Prose("gamma", 40))), Small);

        Assert.True(chunks.Count > 3);
        foreach (var (previous, next) in chunks.Zip(chunks.Skip(1)))
        {
            var overlap = Overlap(previous.Text, next.Text);
            Assert.InRange(overlap, Small.OverlapChars / 2, Small.OverlapChars);
            Assert.True(char.IsWhiteSpace(previous.Text[^(overlap + 1)]), "The overlap starts inside a word.");
        }
    }

    [Fact]
    public void Overlap_starts_at_a_sentence_when_one_starts_within_it()
    {
        var first = string.Join(' ', Enumerable.Range(10, 14).Select(i => $"aa{i}")) + ".";
        var last = string.Join(' ', Enumerable.Range(10, 12).Select(i => $"cc{i}")) + ".";
        var text = $"{first} Zed closes the list now. {last}";

        var chunks = Chunker.Split(Document(new DocumentSection(null, text)), new ChunkingOptions { MaxChars = 100, OverlapChars = 40 });

        Assert.Equal([$"{first} Zed closes the list now.", $"Zed closes the list now. {last}"], chunks.Select(c => c.Text));
    }

    [Fact]
    public void Sections_are_never_mixed_in_one_chunk_and_tiny_sections_stand_alone()
    {
        var chunks = Chunker.Split(
            Document(
                new DocumentSection("Intro", "Hello."),
                new DocumentSection("Intro > Details", Prose("delta", 20)),
                new DocumentSection("Outro", "Bye.")),
            Small);

        Assert.Equal(new DocumentChunk(0, "Intro", "Hello."), chunks[0]);
        Assert.Equal(new DocumentChunk(chunks.Count - 1, "Outro", "Bye."), chunks[^1]);
        Assert.All(chunks.Where(c => c.Heading == "Intro > Details"), c => Assert.DoesNotContain("Hello", c.Text));
        Assert.All(chunks.Where(c => c.Heading == "Intro > Details"), c => Assert.DoesNotContain("Bye", c.Text));
        Assert.Equal(Enumerable.Range(0, chunks.Count), chunks.Select(c => c.Index));
    }

    [Fact]
    public void Word_longer_than_the_maximum_is_cut_into_pieces_that_join_back_to_it()
    {
        var word = string.Concat(Enumerable.Range(0, 100).Select(i => (char)('a' + (i % 26))));
        var options = new ChunkingOptions { MaxChars = 30, OverlapChars = 5 };

        var chunks = Chunker.Split(Document(new DocumentSection(null, $"before {word} after")), options);

        Assert.All(chunks, chunk => Assert.InRange(chunk.Text.Length, 1, options.MaxChars));
        Assert.Contains(word, string.Concat(chunks.Select(c => c.Text)));
        Assert.StartsWith("before", chunks[0].Text);
        Assert.EndsWith("after", chunks[^1].Text);
    }

    [Fact]
    public void Splitting_is_deterministic()
    {
        var document = Document(new DocumentSection("A", Prose("eps", 25)), new DocumentSection("B", Prose("zeta", 9)));

        Assert.Equal(Chunker.Split(document, Small), Chunker.Split(document, Small));
    }

    [Fact]
    public void Chunks_of_an_extracted_document_carry_its_heading_paths()
    {
        var markdown = "# Guide\n\n## Install\n\n" + Prose("eta", 10) + "\n\n## Use\n\nRun it.";
        var document = DocumentExtractor.Extract(System.Text.Encoding.UTF8.GetBytes(markdown), DocumentType.Markdown, ExtractionLimits.Default);

        var chunks = Chunker.Split(document, Small);

        Assert.Equal("Guide > Install", chunks[0].Heading);
        Assert.Equal(new DocumentChunk(chunks.Count - 1, "Guide > Use", "Run it."), chunks[^1]);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(-5, 0)]
    [InlineData(100, 50)]
    [InlineData(100, -1)]
    public void Options_out_of_range_are_refused_with_validation_failed(int maxChars, int overlapChars)
    {
        var options = new ChunkingOptions { MaxChars = maxChars, OverlapChars = overlapChars };

        Refusal.Expect(ErrorCodes.ValidationFailed, () => Chunker.Split(Document(new DocumentSection(null, "text")), options));
    }

    [Fact]
    public void Default_options_are_1000_characters_with_150_overlap()
    {
        var options = new ChunkingOptions();

        ChunkingOptions.Validate(options);
        Assert.Equal((1000, 150), (options.MaxChars, options.OverlapChars));
    }
}
