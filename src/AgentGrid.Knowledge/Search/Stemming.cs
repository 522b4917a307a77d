namespace AgentGrid.Knowledge.Search;

/// <summary>How the lexical index reduces English words before matching them.</summary>
public enum Stemming
{
    /// <summary>Words match only as written (after lower-casing).</summary>
    None,

    /// <summary>Plurals only ("packages" matches "package").</summary>
    Minimal,

    /// <summary>Krovetz: dictionary-checked inflections, conservative.</summary>
    KStem,

    /// <summary>Porter: aggressive suffix stripping ("installing" and "installation" both become "instal").</summary>
    Porter,

    /// <summary>Snowball's English stemmer (Porter2): Porter with fewer over-reductions.</summary>
    Porter2,
}
