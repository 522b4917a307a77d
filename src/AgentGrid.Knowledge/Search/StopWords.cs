namespace AgentGrid.Knowledge.Search;

/// <summary>Which English words the lexical index leaves out of chunks and queries.</summary>
public enum StopWords
{
    /// <summary>Lucene's 33 articles, conjunctions and prepositions ("the", "and", "of", ...).</summary>
    Short,

    /// <summary>
    /// Snowball's list of about 170 function words, which also drops the pronouns and question words
    /// ("what", "how", "I", "does") that questions are full of.
    /// </summary>
    Snowball,
}
