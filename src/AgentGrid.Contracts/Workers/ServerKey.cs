namespace AgentGrid.Contracts.Workers;

/// <summary>
/// The API key a launched model server requires, generated per start. It travels to whoever leases the worker and is never
/// written out: not as JSON (<c>[JsonIgnore]</c> where it is a property), not in a log (<see cref="ToString"/> hides it).
/// </summary>
[GenerateSerializer, Immutable, Alias("agentgrid.server-key")]
public sealed record ServerKey([property: Id(0)] string Value)
{
    public static ServerKey New() => new("agsrv_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24)));

    public override string ToString() => "[server key]";
}
