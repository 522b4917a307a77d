namespace AgentGrid.Inference.Calls;

/// <summary>
/// Whether model calls are metered (limits, budgets, the usage ledger). On, always, in every host: it is not bound
/// from configuration, so no setting can turn governance off. Only the benchmark registers it off, in process, to
/// measure what metering costs.
/// </summary>
public sealed class MeteringSwitch
{
    public bool Enabled { get; init; } = true;
}
