namespace AgentGrid.Contracts.Errors;

public static class ExceptionChain
{
    /// <summary>The exception and its inner exceptions, outermost first: what actually went wrong is often wrapped.</summary>
    public static IEnumerable<Exception> SelfAndCauses(this Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }
}
