using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;
using AgentGrid.Tests.Infrastructure;
using AgentGrid.Tests.Tools;

namespace AgentGrid.Tests.FrontDoor;

/// <summary>The chat page in headless Debian Chromium, driven by Playwright (<c>browser/chat-page.mjs</c>).</summary>
[Collection(FrontDoorCollection.Name)]
public sealed class ChatPageBrowserTests(FrontDoorFixture fixture)
{
    [Fact]
    public async Task The_chat_page_streams_a_reply_and_its_stop_button_cancels_the_backend_request()
    {
        Assert.True(File.Exists(Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium"),
            "Debian's chromium is needed for the browser tests: apt-get install chromium (bash .ci/run does).");
        var name = Api.UniqueName("page");
        // Ten tokens 200 ms apart: a reply that visibly grows, and seconds in which Stop must catch the second one.
        await fixture.Http.CreateAgentAsync(new { name, systemPrompt = "You are shown in a browser.", model = "trickle", parameters = new { maxTokens = 10 } });
        var screenshot = Path.Combine(Path.GetTempPath(), $"agentgrid-chat-{Guid.NewGuid():N}.png");

        var member = await fixture.Http.CreateKeyAsync("member");

        var result = await NodeScripts.RunAsync("chat-page.mjs", fixture.Grid.Address.ToString(), member, $"{name} (trickle)", screenshot);

        var sessionId = result.Value<string>("sessionId");
        var messages = await (await fixture.Http.GetAsync($"/api/sessions/{sessionId}/messages")).JsonArrayAsync();
        Assert.Empty(result["errors"]!.AsArray());
        Assert.Contains("member · tenant default", result.Value<string>("whoami"));
        Assert.True(result.Value<bool>("keysHidden"), "a member does not get the keys page");
        Assert.True(result.Value<int>("usageRows") >= 1, "the usage view lists today");
        Assert.Equal(messages[1].Value<string>("content"), result.Value<string>("reply"));
        Assert.True(result.Value<int>("distinctLengths") >= 3, "the reply appears piece by piece, not all at once");
        Assert.EndsWith("(stopped)", result.Value<string>("stopped"));
        Assert.True(new FileInfo(screenshot).Length > 0);
        await Eventually.TrueAsync(() => fixture.Trickle.Engine.Running == 0, TimeSpan.FromSeconds(15), "the stopped reply's backend request to end");
        Assert.Equal(3, (await (await fixture.Http.GetAsync($"/api/sessions/{sessionId}/messages")).JsonArrayAsync()).Count);
        File.Delete(screenshot);
    }

    [Fact]
    public async Task A_sign_in_link_stores_its_key_only_once_confirmed_naming_the_keys_tenant_and_never_replaces_the_key_in_use_silently()
    {
        var inUse = await fixture.Http.CreateKeyAsync("member");
        var tenant = await fixture.Http.CreateTenantAsync();
        var fromLink = await fixture.Http.CreateKeyAsync("member", tenant);
        var linkName = (await fixture.Grid.Client(fromLink).GetFromJsonNodeAsync("/api/me")).Value<string>("name");

        var result = await NodeScripts.RunAsync("link-page.mjs", fixture.Grid.Address.ToString(), inUse, fromLink);

        Assert.Empty(result["errors"]!.AsArray());
        var questions = result["questions"]!.AsArray().Select(q => q!.GetValue<string>()).ToList();
        Assert.Equal(3, questions.Count);
        Assert.All(questions, q => Assert.Contains($"\"{linkName}\"", q));
        Assert.All(questions, q => Assert.Contains(tenant, q));
        Assert.DoesNotContain("replaces", questions[0]);
        Assert.Contains("replaces the key in use", questions[1]);
        Assert.Null(result["storedAfterDecline"]);
        Assert.Contains("tenant default", result.Value<string>("signedIn"));
        Assert.Contains("tenant default", result.Value<string>("afterSecondDecline"));
        Assert.True(result.Value<bool>("keptKey"));
        Assert.Contains($"tenant {tenant}", result.Value<string>("afterAccept"));
        Assert.True(result.Value<bool>("linkKeyStored"));
    }

    [Fact]
    public async Task A_user_uploads_a_pdf_and_a_word_file_watches_them_index_and_the_agent_answers_citing_them()
    {
        var name = Api.UniqueName("kbpage");
        await fixture.Http.CreateAgentAsync(new { name, model = "trickle", parameters = new { maxTokens = 3 } });
        var member = await fixture.Http.CreateKeyAsync("member");
        using var files = new TempDirectory();
        var pdf = Path.Combine(files.Path, "volcano.pdf");
        var docx = Path.Combine(files.Path, "billing.docx");
        await File.WriteAllBytesAsync(pdf, Knowledge.Documents.PdfFixture.Pages(["Volcano safety", "Evacuate uphill when the lahar siren sounds."]));
        await File.WriteAllBytesAsync(docx, Knowledge.Documents.DocxFixture.Create(
            Knowledge.Documents.DocxFixture.Styled("Heading1", "Billing"), Knowledge.Documents.DocxFixture.Plain("Invoices are sent on the first weekday of every month.")));

        var result = await NodeScripts.RunAsync("knowledge-page.mjs", fixture.Grid.Address.ToString(), member, $"{name} (trickle)", Api.UniqueName("kb"),
            "When are invoices sent each month?", pdf, docx);

        Assert.Empty(result["errors"]!.AsArray());
        Assert.Equal(["ready", "ready"], result["states"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal(["billing.docx", "volcano.pdf"], result["names"]!.AsArray().Select(n => n!.GetValue<string>()).Order());
        Assert.Contains("billing.docx", result.Value<string>("searchTop"));
        Assert.Contains(result["citations"]!.AsArray(), c => c!.GetValue<string>().Contains("billing.docx"));
        Assert.Contains("Invoices are sent", result.Value<string>("snippet"));
        var agent = (await fixture.Http.GetFromJsonNodeAsync("/api/agents")).AsArray().Single(a => a.Value<string>("name") == name);
        Assert.Equal(result.Value<string>("kbId"), (await fixture.Http.GetFromJsonNodeAsync($"/api/agents/{agent.Value<string>("id")}"))["knowledgeBases"]![0].Value<string>("id"));
    }

    [Fact]
    public async Task The_tools_view_creates_a_files_tool_invokes_it_and_shows_the_executions()
    {
        var member = await fixture.Http.CreateKeyAsync("member");

        var result = await NodeScripts.RunAsync("tools-page.mjs", fixture.Grid.Address.ToString(), member, Api.UniqueName("pagefiles"));

        Assert.Empty(result["errors"]!.AsArray());
        Assert.Equal(["success", "success", "error"], result["results"]!.AsArray().Select(r => r.Value<string>("status")));
        Assert.Equal("validation_failed", result["results"]![2].Value<string>("errorCode"));
        Assert.Equal("hi from the page", result.Value<string>("readContent"));
        Assert.Equal(["error", "success", "success"], result["executionStatuses"]!.AsArray().Select(s => s!.GetValue<string>()));
    }

    [Fact]
    public async Task In_the_page_an_agent_calls_a_tool_waits_for_approval_answers_with_the_result_and_a_workflow_is_approved_to_completion()
    {
        var name = Api.UniqueName("actor");
        await fixture.Http.CreateAgentAsync(new { name });
        var tool = Api.UniqueName("guarded");
        var toolId = await fixture.Http.CreateToolAsync(new { name = tool, kind = "files", requiresApproval = true });
        var member = await fixture.Http.CreateKeyAsync("member");
        var workflow = $"name: {Api.UniqueName("flow")}\nsteps:\n  - id: check\n    approval: \"Publish {{{{input}}}}?\"\n  - id: write\n    agent: {name}\n";

        var result = await NodeScripts.RunAsync("acting-page.mjs", fixture.Grid.Address.ToString(), member, $"{name} (simulator)", toolId,
            $$"""Save it: {{tool}} {"operation":"write_file","path":"{{tool}}-page.txt","content":"approved in the page"}""", workflow);

        Assert.Empty(result["errors"]!.AsArray());
        Assert.Equal("success", result.Value<string>("cardStatus"));
        Assert.Contains("\"size\": 20", result.Value<string>("toolOutput"));
        Assert.StartsWith("The tool returned:", result.Value<string>("reply"));
        Assert.Equal("completed", result.Value<string>("runStatus"));
        Assert.Equal(["check:completed", "write:completed"], result["stepStatuses"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal(["success"], (await fixture.Http.GetFromJsonNodeAsync($"/api/tools/{toolId}/executions"))["executions"]!.AsArray().Select(e => e.Value<string>("status")));
    }
}
