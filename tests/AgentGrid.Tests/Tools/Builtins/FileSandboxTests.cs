using System.Text.Json.Nodes;
using AgentGrid.Contracts.Errors;
using AgentGrid.Grains.Tools.Builtins;
using AgentGrid.Tests.Infrastructure;

namespace AgentGrid.Tests.Tools.Builtins;

public sealed class FileSandboxTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private readonly TenantSpace _space;

    public FileSandboxTests() => _space = ToolData.Storage(_temp.Path).For("tenant");

    private string Files(params string[] parts) => Path.Combine([_space.FilesFolder, .. parts]);

    private FileSandbox Sandbox(FileSandboxLimits? limits = null) => new(_space, limits ?? FileSandboxLimits.Default);

    private static Task<JsonObject> Run(FileSandbox sandbox, string operation, string? path = null, string? content = null, string? query = null)
    {
        var input = new JsonObject { ["operation"] = operation };
        if (path is not null) input["path"] = path;
        if (content is not null) input["content"] = content;
        if (query is not null) input["query"] = query;
        return sandbox.RunAsync(input, CancellationToken.None);
    }

    [Fact]
    public async Task Written_file_reads_back_with_its_content_and_size()
    {
        var sandbox = Sandbox();

        var written = await Run(sandbox, "write_file", "notes/today.md", "héllo\nworld");
        var read = await Run(sandbox, "read_file", "notes/today.md");

        Assert.Equal("notes/today.md", (string?)written["path"]);
        Assert.Equal(12, (long?)written["size"]);
        Assert.Equal("héllo\nworld", (string?)read["content"]);
        Assert.Equal(12, (long?)read["size"]);
    }

    [Fact]
    public async Task Root_is_created_when_missing_and_lists_empty()
    {
        var listed = await Run(Sandbox(), "list_directory");

        Assert.True(Directory.Exists(Files()));
        Assert.Equal(".", (string?)listed["path"]);
        Assert.Empty(listed["entries"]!.AsArray());
    }

    [Fact]
    public async Task List_directory_shows_files_with_sizes_and_folders_in_name_order()
    {
        var sandbox = Sandbox();
        await Run(sandbox, "write_file", "b.txt", "four");
        await Run(sandbox, "write_file", "a/inner.txt", "x");

        var entries = (await Run(sandbox, "list_directory", "."))["entries"]!.AsArray();

        Assert.Equal(2, entries.Count);
        Assert.Equal("a", (string?)entries[0]!["name"]);
        Assert.Equal("directory", (string?)entries[0]!["type"]);
        Assert.Equal("b.txt", (string?)entries[1]!["name"]);
        Assert.Equal("file", (string?)entries[1]!["type"]);
        Assert.Equal(4, (long?)entries[1]!["size"]);
    }

    [Fact]
    public async Task Deleted_file_is_gone_and_reading_it_fails()
    {
        var sandbox = Sandbox();
        await Run(sandbox, "write_file", "gone.txt", "bye");

        var deleted = await Run(sandbox, "delete_file", "gone.txt");
        var error = await Assert.ThrowsAsync<AgentGridException>(() => Run(sandbox, "read_file", "gone.txt"));

        Assert.True((bool?)deleted["deleted"]);
        Assert.Equal(ErrorCodes.ToolFailed, error.Code);
    }

    [Fact]
    public async Task Delete_removes_an_empty_folder_but_refuses_one_with_files()
    {
        var sandbox = Sandbox();
        await Run(sandbox, "write_file", "full/keep.txt", "x");
        Directory.CreateDirectory(Files("empty"));

        await Run(sandbox, "delete_file", "empty");
        var error = await Assert.ThrowsAsync<AgentGridException>(() => Run(sandbox, "delete_file", "full"));

        Assert.False(Directory.Exists(Files("empty")));
        Assert.Equal(ErrorCodes.ToolFailed, error.Code);
        Assert.True(File.Exists(Files("full", "keep.txt")));
    }

    [Fact]
    public async Task Search_finds_lines_case_insensitively_with_paths_and_line_numbers()
    {
        var sandbox = Sandbox();
        await Run(sandbox, "write_file", "a.txt", "first\nThe Needle here\nlast");
        await Run(sandbox, "write_file", "sub/b.txt", "needle again");
        await Run(sandbox, "write_file", "c.txt", "nothing");

        var matches = (await Run(sandbox, "search_file_contents", query: "NEEDLE"))["matches"]!.AsArray();

        Assert.Equal(2, matches.Count);
        Assert.Equal("a.txt", (string?)matches[0]!["path"]);
        Assert.Equal(2, (int?)matches[0]!["line"]);
        Assert.Equal("The Needle here", (string?)matches[0]!["text"]);
        Assert.Equal("sub/b.txt", (string?)matches[1]!["path"]);
    }

    [Fact]
    public async Task Search_stops_at_the_match_limit_and_says_so()
    {
        var sandbox = Sandbox(new FileSandboxLimits { MaxSearchMatches = 2 });
        await Run(sandbox, "write_file", "many.txt", "hit\nhit\nhit");

        var result = await Run(sandbox, "search_file_contents", ".", query: "hit");

        Assert.Equal(2, result["matches"]!.AsArray().Count);
        Assert.True((bool?)result["truncated"]);
    }

    [Fact]
    public async Task Reading_a_file_with_nul_bytes_fails_as_binary()
    {
        var sandbox = Sandbox();
        File.WriteAllBytes(Files("blob.bin"), [1, 0, 2]);

        var error = await Assert.ThrowsAsync<AgentGridException>(() => Run(sandbox, "read_file", "blob.bin"));

        Assert.Equal(ErrorCodes.ToolFailed, error.Code);
        Assert.Contains("binary", error.Message);
    }

    [Fact]
    public async Task Writing_more_than_the_file_limit_is_refused_and_nothing_is_written()
    {
        var sandbox = Sandbox(new FileSandboxLimits { MaxFileBytes = 8 });

        var error = await Assert.ThrowsAsync<AgentGridException>(() => Run(sandbox, "write_file", "big.txt", "123456789"));

        Assert.Equal(ErrorCodes.ValidationFailed, error.Code);
        Assert.Equal("content", error.Field);
        Assert.False(File.Exists(Files("big.txt")));
    }

    [Fact]
    public async Task Reading_a_file_over_the_limit_fails()
    {
        var sandbox = Sandbox(new FileSandboxLimits { MaxFileBytes = 4 });
        File.WriteAllText(Files("big.txt"), "12345");

        var error = await Assert.ThrowsAsync<AgentGridException>(() => Run(sandbox, "read_file", "big.txt"));

        Assert.Equal(ErrorCodes.ToolFailed, error.Code);
    }

    [Theory]
    [InlineData("rename_file")]
    [InlineData("")]
    public async Task Unknown_or_missing_operation_is_a_validation_failure(string operation)
    {
        var error = await Assert.ThrowsAsync<AgentGridException>(() => Run(Sandbox(), operation, "a.txt"));

        Assert.Equal(ErrorCodes.ValidationFailed, error.Code);
        Assert.Equal("operation", error.Field);
    }

    [Fact]
    public async Task Write_without_content_is_a_validation_failure()
    {
        var error = await Assert.ThrowsAsync<AgentGridException>(() => Run(Sandbox(), "write_file", "a.txt"));

        Assert.Equal(ErrorCodes.ValidationFailed, error.Code);
        Assert.Equal("content", error.Field);
    }

    [Fact]
    public async Task Search_without_query_is_a_validation_failure()
    {
        var error = await Assert.ThrowsAsync<AgentGridException>(() => Run(Sandbox(), "search_file_contents"));

        Assert.Equal(ErrorCodes.ValidationFailed, error.Code);
        Assert.Equal("query", error.Field);
    }
}
