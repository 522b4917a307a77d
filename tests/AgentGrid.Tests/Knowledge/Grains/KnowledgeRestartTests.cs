using System.Text;
using AgentGrid.Contracts;
using AgentGrid.Contracts.Identity;
using AgentGrid.Contracts.Knowledge;
using AgentGrid.Tests.Infrastructure;

namespace AgentGrid.Tests.Knowledge.Grains;

/// <summary>Knowledge bases across silo stops: indexes come back from storage, and ingestion cut off by a kill resumes.</summary>
public sealed class KnowledgeRestartTests
{
    private static readonly Dictionary<string, string?> SlowIngestion = new() { ["AgentGrid:Knowledge:EmbeddingBatch"] = "2" };

    [Fact]
    public async Task Documents_and_their_indexes_are_searchable_after_a_restart()
    {
        using var data = new TempDirectory();
        var database = Path.Combine(data.Path, "grid.db");
        var keys = new Keys();
        var kbKey = GrainKeys.For(keys.Tenant, GrainKeys.NewId("kb"));
        await using (var first = await GridCluster.StartAsync(database))
        {
            var kb = first.Client.GetGrain<IKnowledgeBaseGrain>(kbKey);
            await kb.CreateAsync(new KnowledgeBaseDefinition { Name = "durable" });
            await kb.AddDocumentsAsync([new DocumentUpload { Name = "otters.txt", Content = "Sea otters hold hands while they sleep."u8.ToArray() }]);
            await Eventually.TrueAsync(async () => (await kb.ListDocumentsAsync()).Single().State == DocumentState.Ready, TimeSpan.FromSeconds(30), "the document to be ready");
        }

        await using var second = await GridCluster.StartAsync(database);
        var restored = second.Client.GetGrain<IKnowledgeBaseGrain>(kbKey);

        Assert.Equal(DocumentState.Ready, (await restored.ListDocumentsAsync()).Single().State);
        Assert.Equal("otters.txt", (await restored.SearchAsync("otters sleep", 3, KnowledgeSearchMode.Lexical, Caller.System(keys.Tenant)))[0].DocumentName);
        Assert.Equal("otters.txt", (await restored.SearchAsync("marine mammals resting", 3, KnowledgeSearchMode.Vector, Caller.System(keys.Tenant)))[0].DocumentName);
    }

    [Fact]
    public async Task An_ingestion_cut_off_by_a_silo_kill_resumes_from_the_stored_file_and_becomes_ready()
    {
        using var data = new TempDirectory();
        var database = Path.Combine(data.Path, "grid.db");
        var keys = new Keys();
        var kbKey = GrainKeys.For(keys.Tenant, GrainKeys.NewId("kb"));
        var text = new StringBuilder();
        for (var i = 0; i < 120; i++)
        {
            text.Append($"Paragraph {i} tells of lighthouse keeper number {i} and the storms of year {1800 + i}.\n\n");
        }

        var first = await GridCluster.StartAsync(database, SlowIngestion);
        var kb = first.Client.GetGrain<IKnowledgeBaseGrain>(kbKey);
        await kb.CreateAsync(new KnowledgeBaseDefinition { Name = "resumable", ChunkSize = 200, ChunkOverlap = 0 });
        await kb.AddDocumentsAsync([new DocumentUpload { Name = "lighthouses.md", Content = Encoding.UTF8.GetBytes(text.ToString()) }]);
        await Eventually.TrueAsync(async () => (await kb.ListDocumentsAsync()).Single().State == DocumentState.Embedding, TimeSpan.FromSeconds(30), "embedding to be under way");
        await first.KillSiloAsync(first.Silos[0]);
        await first.DisposeAsync();

        await using var second = await GridCluster.StartAsync(database, SlowIngestion);
        var resumed = second.Client.GetGrain<IKnowledgeBaseGrain>(kbKey);
        await Eventually.TrueAsync(async () => (await resumed.ListDocumentsAsync()).Single().Settled, TimeSpan.FromSeconds(90), "the document to settle");

        var document = (await resumed.ListDocumentsAsync()).Single();
        Assert.Equal((DocumentState.Ready, 1.0), (document.State, document.Progress));
        Assert.True(document.Chunks > 30);
        Assert.Equal("lighthouses.md", (await resumed.SearchAsync("storms of year 1842", 3, KnowledgeSearchMode.Lexical, Caller.System(keys.Tenant)))[0].DocumentName);
    }
}
