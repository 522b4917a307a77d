namespace AgentGrid.Knowledge.Search;

/// <summary>How <see cref="HybridFusion"/> turns each list's entries into comparable numbers before weighting them.</summary>
public enum FusionMethod
{
    /// <summary>Rank only: weight / (<see cref="FusionOptions.RankConstant"/> + rank). Ignores how far apart the scores are.</summary>
    ReciprocalRank,

    /// <summary>Scores rescaled so the list's best is 1 and its worst candidate 0.</summary>
    MinMax,

    /// <summary>Scores as standard deviations from the list's mean, mapped onto 0..1 over mean ± 3 deviations.</summary>
    Distribution,
}
