using System.Net;
using AgentGrid.Tests.Infrastructure;
using AgentGrid.Tests.Knowledge.Documents;
using DocumentFormat.OpenXml.Wordprocessing;

namespace AgentGrid.Tests.Knowledge.Http;

/// <summary>Knowledge bases over real HTTP: upload every format, watch ingestion, search three ways, delete, stay inside the tenant.</summary>
[Collection(FrontDoorCollection.Name)]
public sealed class KnowledgeApiTests(FrontDoorFixture fixture)
{
    private HttpClient Http => fixture.Http;

    private const string Docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    [Fact]
    public async Task A_pdf_a_word_file_and_markdown_are_ingested_and_found_by_lexical_vector_and_hybrid_search()
    {
        var kb = await Http.CreateKnowledgeBaseAsync();
        var pdf = PdfFixture.Pages(["Volcano safety manual", "Evacuate uphill when the lahar siren sounds."]);
        var docx = DocxFixture.Create(DocxFixture.Styled("Heading1", "Billing"), DocxFixture.Plain("Invoices are sent on the first weekday of every month."));

        var documents = await Http.UploadReadyAsync(kb,
            ("safety.pdf", pdf, "application/pdf"), ("billing.docx", docx, Docx), KnowledgeClient.Text("pets.md", "# Pets\n\nOur office welcomes dogs on Fridays."));

        Assert.Equal(["docx", "md", "pdf"], documents.Select(d => d.Value<string>("type")).Order());
        Assert.All(documents, d => Assert.Equal((1, 1.0), (d.Value<int>("version"), d.Value<double>("progress"))));
        var lexical = await Http.SearchAsync(kb, "lahar siren", "lexical");
        Assert.Equal("safety.pdf", lexical[0].Value<string>("documentName"));
        var vector = await Http.SearchAsync(kb, "when do customers receive their bills?", "vector");
        Assert.Equal("billing.docx", vector[0].Value<string>("documentName"));
        var hybrid = await Http.SearchAsync(kb, "can I bring my dog to work", "hybrid");
        Assert.Equal("pets.md", hybrid[0].Value<string>("documentName"));
        Assert.Contains("dogs on Fridays", hybrid[0].Value<string>("text"));
        Assert.All(hybrid, h => Assert.StartsWith("doc_", h.Value<string>("documentId")));
        var listed = await Http.GetFromJsonNodeAsync($"/api/knowledge-bases/{kb}");
        Assert.Equal(3, listed.Value<int>("documentCount"));
    }

    [Fact]
    public async Task Deleting_a_document_removes_it_from_every_index_and_uploading_a_name_again_retires_the_old_version()
    {
        var kb = await Http.CreateKnowledgeBaseAsync();
        await Http.UploadReadyAsync(kb, KnowledgeClient.Text("a.txt", "The zeppelin hangar opens at dawn."), KnowledgeClient.Text("b.txt", "Quokkas live on Rottnest Island."));
        var documents = await Http.UploadReadyAsync(kb, KnowledgeClient.Text("a.txt", "The submarine dock opens at noon."));
        var quokkas = (await Http.SearchAsync(kb, "quokka island", "lexical"))[0].Value<string>("documentId");

        Assert.Equal(2, documents.Single(d => d.Value<string>("name") == "a.txt").Value<int>("version"));
        Assert.Empty(await Http.SearchAsync(kb, "zeppelin hangar", "lexical"));
        Assert.Equal("a.txt", (await Http.SearchAsync(kb, "submarine dock", "lexical"))[0].Value<string>("documentName"));

        Assert.Equal(HttpStatusCode.NoContent, (await Http.DeleteAsync($"/api/knowledge-bases/{kb}/documents/{quokkas}")).StatusCode);

        Assert.Empty(await Http.SearchAsync(kb, "quokka island", "lexical"));
        Assert.DoesNotContain(await Http.SearchAsync(kb, "animals living on an island", "vector"), h => h.Value<string>("documentId") == quokkas);
        await (await Http.GetAsync($"/api/knowledge-bases/{kb}/documents/{quokkas}")).ProblemAsync(404, "document_not_found");
    }

    [Fact]
    public async Task Bad_files_get_their_codes_and_an_upload_with_one_bad_file_stores_nothing()
    {
        var kb = await Http.CreateKnowledgeBaseAsync();
        var good = KnowledgeClient.Text("fine.txt", "Nothing wrong here.");

        await (await Http.UploadAsync(kb, good, ("locked.pdf", PdfFixture.Encrypted(), "application/pdf"))).ProblemAsync(422, "document_encrypted");
        await (await Http.UploadAsync(kb, KnowledgeClient.Text("page.pdf", "<html><body>not a pdf</body></html>", "application/pdf"))).ProblemAsync(422, "document_type_mismatch");
        await (await Http.UploadAsync(kb, ("bomb.docx", ZipFixture.Zeros("word/document.xml", 200L * 1024 * 1024), Docx))).ProblemAsync(413, "document_too_large");
        await (await Http.UploadAsync(kb, ("tool.exe", [0x4d, 0x5a, 0, 0], null))).ProblemAsync(415, "unsupported_document_type");
        await (await Http.UploadAsync(kb, KnowledgeClient.Text("../escape.txt", "x"))).ProblemAsync(400, "invalid_document_name");
        await (await Http.UploadAsync(kb, KnowledgeClient.Text("bell\u0007.txt", "x"))).ProblemAsync(400, "invalid_document_name");
        await (await Http.UploadAsync(kb, good, ("binary.txt", [0x41, 0, 0x42], "text/plain"))).ProblemAsync(422, "document_type_mismatch");
        await (await Http.UploadAsync(kb, [.. Enumerable.Range(0, 21).Select(i => KnowledgeClient.Text($"f{i}.txt", "x"))])).ProblemAsync(400, "too_many_documents");

        Assert.Empty((await Http.GetFromJsonNodeAsync($"/api/knowledge-bases/{kb}/documents"))["documents"]!.AsArray());
    }

    [Fact]
    public async Task Files_only_extraction_can_judge_end_failed_with_their_codes_while_the_rest_of_the_upload_is_ready()
    {
        var kb = await Http.CreateKnowledgeBaseAsync();

        var documents = await Http.UploadSettledAsync(kb,
            ("broken.pdf", PdfFixture.Pages(["half"])[..60], "application/pdf"),
            KnowledgeClient.Text("blank.txt", "   \n\n  "),
            KnowledgeClient.Text("fine.txt", "Ferries leave the harbour every hour."));

        Assert.Equal(("failed", "document_corrupt"), (documents["broken.pdf"].Value<string>("state"), documents["broken.pdf"].Value<string>("errorCode")));
        Assert.Equal(("failed", "document_empty"), (documents["blank.txt"].Value<string>("state"), documents["blank.txt"].Value<string>("errorCode")));
        Assert.Equal("ready", documents["fine.txt"].Value<string>("state"));
    }

    [Fact]
    public async Task Flate_bombs_end_failed_as_too_complex_while_another_tenant_keeps_being_answered()
    {
        var kb = await Http.CreateKnowledgeBaseAsync();
        using var other = fixture.Grid.Client(await Http.CreateKeyAsync("member", await Http.CreateTenantAsync()));
        var otherKb = await other.CreateKnowledgeBaseAsync();
        await other.UploadReadyAsync(otherKb, KnowledgeClient.Text("ferries.txt", "Ferries leave the harbour every hour."));
        var bomb = PdfFixture.FlateBomb(160L * 1024 * 1024);

        var uploading = Http.UploadSettledAsync(kb, [.. Enumerable.Range(0, 4).Select(i => ($"bomb{i}.pdf", bomb, (string?)"application/pdf"))]);
        var answered = await other.SearchAsync(otherKb, "ferries harbour", "lexical");
        var documents = await uploading;

        Assert.Equal("ferries.txt", answered[0].Value<string>("documentName"));
        Assert.All(documents.Values, d => Assert.Equal(("failed", "document_too_complex"), (d.Value<string>("state"), d.Value<string>("errorCode"))));
    }

    [Fact]
    public async Task Another_tenants_knowledge_base_documents_and_search_look_exactly_like_missing_ones()
    {
        var kb = await Http.CreateKnowledgeBaseAsync();
        var documents = await Http.UploadReadyAsync(kb, KnowledgeClient.Text("secret.txt", "The launch code is tangerine."));
        var documentId = documents[0].Value<string>("id");
        using var other = fixture.Grid.Client(await Http.CreateKeyAsync("member", await Http.CreateTenantAsync()));

        foreach (var path in new[] { $"/api/knowledge-bases/{kb}", $"/api/knowledge-bases/{kb}/documents", $"/api/knowledge-bases/{kb}/search?q=launch" })
        {
            await (await other.GetAsync(path)).ProblemAsync(404, "knowledge_base_not_found");
        }

        await (await other.GetAsync($"/api/knowledge-bases/{kb}/documents/{documentId}")).ProblemAsync(404, "knowledge_base_not_found");
        await (await other.UploadAsync(kb, KnowledgeClient.Text("x.txt", "x"))).ProblemAsync(404, "knowledge_base_not_found");
        await (await other.DeleteAsync($"/api/knowledge-bases/{kb}")).ProblemAsync(404, "knowledge_base_not_found");
        Assert.DoesNotContain((await other.GetFromJsonNodeAsync("/api/knowledge-bases"))["knowledgeBases"]!.AsArray(), b => b.Value<string>("id") == kb);
        Assert.Equal("secret.txt", (await Http.SearchAsync(kb, "launch code", "lexical"))[0].Value<string>("documentName"));
    }

    [Fact]
    public async Task The_events_stream_shows_each_document_as_it_is_then_its_ingestion_up_to_ready()
    {
        var kb = await Http.CreateKnowledgeBaseAsync();
        using var stream = await Http.GetAsync($"/api/knowledge-bases/{kb}/events", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync());
        Assert.Equal(("event: documents", "data: {\"documents\":[]}"), (await reader.ReadLineAsync(), await reader.ReadLineAsync()));
        var accepted = await (await Http.UploadAsync(kb, KnowledgeClient.Text("notes.md", "# Notes\n\nThe rota changes on Mondays."))).JsonAsync(HttpStatusCode.Accepted);
        var id = accepted["documents"]![0].Value<string>("id");

        var states = new List<string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (states.LastOrDefault() is not ("ready" or "failed"))
        {
            var line = await reader.ReadLineAsync(timeout.Token);
            if (line is not null && line.StartsWith("data: ", StringComparison.Ordinal) && System.Text.Json.Nodes.JsonNode.Parse(line[6..]) is { } document
                && document["id"]?.GetValue<string>() == id)
            {
                states.Add(document.Value<string>("state"));
            }
        }

        Assert.Equal("text/event-stream", stream.Content.Headers.ContentType?.MediaType);
        Assert.Equal("ready", states[^1]);
        Assert.Contains("embedding", states);
    }

    [Fact]
    public async Task Search_and_definitions_refuse_bad_input_with_codes()
    {
        var kb = await Http.CreateKnowledgeBaseAsync();

        await (await Http.GetAsync($"/api/knowledge-bases/{kb}/search?q=")).ProblemAsync(400, "validation_failed", "q");
        await (await Http.GetAsync($"/api/knowledge-bases/{kb}/search?q=x&k=0")).ProblemAsync(400, "validation_failed", "k");
        await (await Http.GetAsync($"/api/knowledge-bases/{kb}/search?q=x&mode=fuzzy")).ProblemAsync(400, "validation_failed", "mode");
        await (await Http.PostJsonAsync("/api/knowledge-bases", new { name = "x", chunkSize = 50 })).ProblemAsync(400, "validation_failed", "chunkSize");
        await (await Http.PostJsonAsync("/api/knowledge-bases", new { name = "x", embeddingModel = "nope" })).ProblemAsync(404, "model_not_found", "embeddingModel");
        await (await Http.GetAsync("/api/knowledge-bases/kb_missing")).ProblemAsync(404, "knowledge_base_not_found");
    }
}
