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
        var storage = ToolData.Storage(_temp.Path, o => o.MaxTenantBytes = 10);
        // Separate sandboxes of one tenant on one silo, as separate tools of one tenant are.
        var writes = Enumerable.Range(0, 8).Select(async i =>
        {
            try
            {
                await new FileSandbox(storage.For("tenant"), FileSandboxLimits.Default).RunAsync(new JsonObject { ["operation"] = "write_file", ["path"] = $"f{i}.txt", ["content"] = "abcd" }, CancellationToken.None);
                return true;
            }
            catch (AgentGridException e) when (e.Code == ErrorCodes.ToolStorageFull)
            {
                return false;
            }
        }).ToList();

        var results = await Task.WhenAll(writes);

        Assert.Equal(2, results.Count(written => written));
        Assert.Equal(8, Directory.GetFiles(storage.For("tenant").FilesFolder).Sum(f => new FileInfo(f).Length));
    }
}
