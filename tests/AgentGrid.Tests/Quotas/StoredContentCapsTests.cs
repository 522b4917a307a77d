using System.Net;
using AgentGrid.Grains.Identity;
using AgentGrid.Tests.Infrastructure;
using AgentGrid.Tests.Knowledge.Http;

namespace AgentGrid.Tests.Quotas;

/// <summary>A tenant's knowledge bases together keep at most <c>TenantCaps:Documents</c> documents and <c>StoredBytes</c> bytes.</summary>
public sealed class StoredContentCapsTests(QuotaGridFixture fixture) : IClassFixture<QuotaGridFixture>
{
    [Fact]
    public async Task Documents_are_capped_across_the_tenants_knowledge_bases_and_a_delete_makes_room()
    {
        var (_, member) = await fixture.NewTenantMemberAsync();
        using var _ = member;
        var first = await member.CreateKnowledgeBaseAsync();
        var second = await member.CreateKnowledgeBaseAsync();
        var kept = await member.UploadReadyAsync(first, KnowledgeClient.Text("a.txt", "Alpha."), KnowledgeClient.Text("b.txt", "Beta."));

        var refused = await member.UploadAsync(second, KnowledgeClient.Text("c.txt", "Gamma."));
        var listedAfterRefusal = (await member.GetFromJsonNodeAsync($"/api/knowledge-bases/{second}/documents"))["documents"]!.AsArray();
        var newVersion = await member.UploadReadyAsync(first, KnowledgeClient.Text("a.txt", "Alpha again."));
        (await member.DeleteAsync($"/api/knowledge-bases/{first}/documents/{kept[0].Value<string>("id")}")).EnsureSuccessStatusCode();
        var admitted = await member.UploadAsync(second, KnowledgeClient.Text("c.txt", "Gamma."));

        var problem = await refused.ProblemAsync(409, "tenant_quota_exceeded");
        Assert.Contains($"{QuotaGridFixture.Documents + 1} documents", problem.Value<string>("detail"));
        Assert.Equal(["false"], refused.Headers.GetValues("x-should-retry"));
        Assert.Empty(listedAfterRefusal);
        Assert.Equal(2, newVersion.Count);
        Assert.Equal(HttpStatusCode.Accepted, admitted.StatusCode);
    }

    [Fact]
    public async Task Stored_bytes_are_capped_and_an_upload_past_them_keeps_nothing()
    {
        var (_, member) = await fixture.NewTenantMemberAsync();
        using var _ = member;
        var kb = await member.CreateKnowledgeBaseAsync();
        var half = new string('x', QuotaGridFixture.StoredBytes / 2);
        await member.UploadReadyAsync(kb, KnowledgeClient.Text("half.txt", half));

        var refused = await member.UploadAsync(kb, KnowledgeClient.Text("more.txt", half + "y"));
        var listed = (await member.GetFromJsonNodeAsync($"/api/knowledge-bases/{kb}/documents"))["documents"]!.AsArray();

        var problem = await refused.ProblemAsync(409, "tenant_quota_exceeded");
        Assert.Contains("bytes", problem.Value<string>("detail"));
        Assert.Equal(["half.txt"], listed.Select(d => d.Value<string>("name")));
    }

    [Fact]
    public void Document_and_byte_caps_out_of_range_are_reported()
    {
        var failures = new TenantCapsOptionsValidator().Validate(null, new TenantCapsOptions { Documents = -1, StoredBytes = -1 }).Failures!;

        Assert.Contains(failures, f => f.StartsWith("AgentGrid:TenantCaps:Documents must be", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("AgentGrid:TenantCaps:StoredBytes must be", StringComparison.Ordinal));
    }
}
