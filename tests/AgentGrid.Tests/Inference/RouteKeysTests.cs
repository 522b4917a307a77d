using AgentGrid.Inference.Calls;
using Microsoft.Extensions.AI;

namespace AgentGrid.Tests.Inference;

/// <summary>Routing keys stay within a tenant: a shared system prompt steers only the same tenant's calls together.</summary>
public sealed class RouteKeysTests
{
    [Fact]
    public void The_same_system_prompt_gives_one_prefix_key_per_tenant_and_conversations_are_keyed_per_tenant_too()
    {
        List<ChatMessage> prompt = [new(ChatRole.System, "You are the support agent."), new(ChatRole.User, "hi")];

        Assert.Equal(RouteKeys.Prefix("acme", prompt), RouteKeys.Prefix("acme", [prompt[0], new(ChatRole.User, "other question")]));
        Assert.NotEqual(RouteKeys.Prefix("acme", prompt), RouteKeys.Prefix("globex", prompt));
        Assert.NotEqual(RouteKeys.Affinity("acme", "session-1"), RouteKeys.Affinity("globex", "session-1"));
        Assert.Null(RouteKeys.Prefix("acme", [new(ChatRole.User, "no system prompt")]));
    }
}
