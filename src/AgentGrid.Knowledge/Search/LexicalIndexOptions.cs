namespace AgentGrid.Knowledge.Search;

/// <summary>How <see cref="LexicalIndex"/> analyses and weighs text.</summary>
public sealed class LexicalIndexOptions
{
    /// <summary>The stemmer applied to chunk texts, headings and queries alike. Default: <see cref="Search.Stemming.Porter"/>.</summary>
    public Stemming Stemming { get; init; } = Stemming.Porter;

    /// <summary>The words left out of chunk texts, headings and queries. Default: <see cref="Search.StopWords.Snowball"/>.</summary>
    public StopWords StopWords { get; init; } = StopWords.Snowball;

    /// <summary>
    /// The weight of a query term found in a chunk's heading, relative to one found in its text (weight 1);
    /// 0 leaves headings unsearched. Default: 0.3.
    /// </summary>
    public float HeadingWeight { get; init; } = 0.3f;
}
