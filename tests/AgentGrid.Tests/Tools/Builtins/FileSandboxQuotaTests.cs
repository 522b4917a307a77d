using System.Text.Json.Nodes;
using AgentGrid.Contracts.Errors;
using AgentGrid.Grains.Tools.Builtins;
using AgentGrid.Tests.Infrastructure;

namespace AgentGrid.Tests.Tools.Builtins;

public sealed class FileSandboxQuotaTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Concurrent_writes_of_one_tenant_never_take_its_sandbox_past_the_quota()
    {
        var root = Path.Combine(_temp.Path, "tenant");
        var limits = new FileSandboxLimits { MaxTotalBytes = 10 };
        // Separate sandboxes on one root, as separate tools of one tenant are.
        var writes = Enumerable.Range(0, 8).Select(async i =>
        {
            try
            {
                await new FileSandbox(root, limits).RunAsync(new JsonObject { ["operation"] = "write_file", ["path"] = $"f{i}.txt", ["content"] = "abcd" }, CancellationToken.None);
                return true;
            }
            catch (AgentGridException e) when (e.Code == ErrorCodes.ToolFailed)
            {
                return false;
            }
        }).ToList();

        var results = await Task.WhenAll(writes);

        Assert.Equal(2, results.Count(written => written));
        Assert.Equal(8, Directory.GetFiles(root).Sum(f => new FileInfo(f).Length));
    }
}
