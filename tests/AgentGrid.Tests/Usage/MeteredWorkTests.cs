using AgentGrid.Tests.Infrastructure;
using AgentGrid.Tests.Knowledge.Http;
using AgentGrid.Tests.Tools;

namespace AgentGrid.Tests.Usage;

/// <summary>What costs besides model calls (tool runs, uploads) is in the usage ledger, in columns of its own.</summary>
[Collection(FrontDoorCollection.Name)]
public sealed class MeteredWorkTests(FrontDoorFixture fixture)
{
    [Fact]
    public async Task Tool_runs_and_uploaded_bytes_appear_in_api_usage_under_the_key_that_caused_them_and_not_as_model_requests()
    {
        var tenant = await fixture.Http.CreateTenantAsync();
        using var member = fixture.Grid.Client(await fixture.Http.CreateKeyAsync("member", tenant));
        var keyId = (await member.GetFromJsonNodeAsync("/api/me")).Value<string>("id");
        var tool = await member.CreateToolAsync(new { name = Api.UniqueName("files"), kind = "files" });
        var kb = await member.CreateKnowledgeBaseAsync();
        var file = KnowledgeClient.Text("notes.txt", "The ferry leaves at noon.");

        await member.InvokeAsync(tool, new { operation = "write_file", path = "a.txt", content = "one" });
        await member.InvokeAsync(tool, new { operation = "read_file", path = "a.txt" });
        await member.UploadReadyAsync(kb, file);
        var usage = (await member.GetFromJsonNodeAsync("/api/usage?groupBy=key,model")).AsArray();

        var work = Assert.Single(usage, r => r!.Value<string>("model") == "")!;
        Assert.Equal((keyId, 2L, (long)file.Item2.Length, 0L), (work.Value<string>("key"), work.Value<long>("toolRuns"), work.Value<long>("uploadedBytes"), work.Value<long>("requests")));
        Assert.All(usage.Where(r => r!.Value<string>("model") != ""), r => Assert.Equal(0, r!.Value<long>("toolRuns")));
    }
}
