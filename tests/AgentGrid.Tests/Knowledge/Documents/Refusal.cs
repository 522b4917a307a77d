using AgentGrid.Contracts.Errors;

namespace AgentGrid.Tests.Knowledge.Documents;

internal static class Refusal
{
    /// <summary>Asserts that <paramref name="act"/> throws an <see cref="AgentGridException"/> (nothing else) with the code.</summary>
    public static AgentGridException Expect(string code, Action act)
    {
        var error = Assert.Throws<AgentGridException>(act);
        Assert.Equal(code, error.Code);
        return error;
    }
}
