using System.Text.Json.Nodes;
using AgentGrid.Contracts.Errors;
using AgentGrid.Grains.Tools.Builtins;
using AgentGrid.Tests.Infrastructure;

namespace AgentGrid.Tests.Tools.Builtins;

public sealed class FileSandboxEscapeTests : IDisposable
{
    private const string Secret = "outside secret";

    private readonly TempDirectory _temp = new();
    private readonly TenantSpace _space;
    private readonly FileSandbox _sandbox;
    private readonly string _outsideFile;

    public FileSandboxEscapeTests()
    {
        _space = ToolData.Storage(At("data")).For("tenant");
        _sandbox = new FileSandbox(_space, FileSandboxLimits.Default);
        Directory.CreateDirectory(At("outside"));
        _outsideFile = At("outside", "secret.txt");
        File.WriteAllText(_outsideFile, Secret);
    }

    public void Dispose() => _temp.Dispose();

    private string At(params string[] parts) => Path.Combine([_temp.Path, .. parts]);

    private string Files(params string[] parts) => Path.Combine([_space.FilesFolder, .. parts]);

    private Task<JsonObject> Run(string operation, string path, string? content = null) =>
        _sandbox.RunAsync(new JsonObject { ["operation"] = operation, ["path"] = path, ["content"] = content ?? "x" },
            CancellationToken.None);

    [Theory]
    [InlineData("../x")]
    [InlineData("../outside/secret.txt")]
    [InlineData("/etc/passwd")]
    [InlineData("a/../../x")]
    [InlineData("C:\\x")]
    [InlineData("C:x")]
    [InlineData("\\\\server\\share\\x")]
    [InlineData("..\\outside\\secret.txt")]
    [InlineData("a\0b")]
    [InlineData("a\nb")]
    [InlineData("")]
    public async Task Path_outside_the_sandbox_or_malformed_is_a_validation_failure_for_every_operation(string path)
    {
        foreach (var operation in new[] { "read_file", "write_file", "delete_file", "list_directory", "search_file_contents" })
        {
            var input = new JsonObject { ["operation"] = operation, ["path"] = path, ["content"] = "x", ["query"] = "x" };

            var error = await Assert.ThrowsAsync<AgentGridException>(() => _sandbox.RunAsync(input, CancellationToken.None));

            Assert.Equal(ErrorCodes.ValidationFailed, error.Code);
            Assert.Equal("path", error.Field);
            Assert.DoesNotContain(_temp.Path, error.Message);
        }

        Assert.Equal(Secret, File.ReadAllText(_outsideFile));
        Assert.False(File.Exists(At("x")));
    }

    [Fact]
    public async Task Dot_dot_that_stays_inside_the_sandbox_is_allowed()
    {
        await Run("write_file", "a/../inside.txt", "ok");

        Assert.Equal("ok", (string?)(await Run("read_file", "inside.txt"))["content"]);
    }

    [Fact]
    public async Task Root_itself_cannot_be_read_written_or_deleted()
    {
        foreach (var operation in new[] { "read_file", "write_file", "delete_file" })
        {
            var error = await Assert.ThrowsAsync<AgentGridException>(() => Run(operation, "."));

            Assert.Equal(ErrorCodes.ValidationFailed, error.Code);
            Assert.Equal("path", error.Field);
        }

        Assert.True(Directory.Exists(Files()));
    }

    [Theory]
    [InlineData("read_file", "link.txt")]
    [InlineData("write_file", "link.txt")]
    [InlineData("delete_file", "link.txt")]
    [InlineData("list_directory", "link.txt")]
    public async Task File_symlink_pointing_outside_is_refused_and_its_target_untouched(string operation, string path)
    {
        File.CreateSymbolicLink(Files("link.txt"), _outsideFile);

        var error = await Assert.ThrowsAsync<AgentGridException>(() => Run(operation, path, "overwritten"));

        Assert.Equal(ErrorCodes.ValidationFailed, error.Code);
        Assert.Equal("path", error.Field);
        Assert.DoesNotContain(Secret, error.Message);
        Assert.Equal(Secret, File.ReadAllText(_outsideFile));
    }

    [Theory]
    [InlineData("read_file", "dir/secret.txt")]
    [InlineData("write_file", "dir/secret.txt")]
    [InlineData("write_file", "dir/new/file.txt")]
    [InlineData("delete_file", "dir/secret.txt")]
    [InlineData("delete_file", "dir")]
    [InlineData("list_directory", "dir")]
    [InlineData("search_file_contents", "dir")]
    public async Task Folder_symlink_pointing_outside_is_refused_and_nothing_outside_changes(string operation, string path)
    {
        Directory.CreateSymbolicLink(Files("dir"), At("outside"));

        var input = new JsonObject { ["operation"] = operation, ["path"] = path, ["content"] = "overwritten", ["query"] = "secret" };
        var error = await Assert.ThrowsAsync<AgentGridException>(() => _sandbox.RunAsync(input, CancellationToken.None));

        Assert.Equal(ErrorCodes.ValidationFailed, error.Code);
        Assert.Equal("path", error.Field);
        Assert.Equal(Secret, File.ReadAllText(_outsideFile));
        Assert.Equal(["secret.txt"], Directory.GetFileSystemEntries(At("outside")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Listing_and_searching_the_root_do_not_follow_links()
    {
        Directory.CreateSymbolicLink(Files("dir"), At("outside"));
        File.CreateSymbolicLink(Files("link.txt"), _outsideFile);

        var entries = (await _sandbox.RunAsync(new JsonObject { ["operation"] = "list_directory" }, CancellationToken.None))["entries"]!.AsArray();
        var matches = (await _sandbox.RunAsync(new JsonObject { ["operation"] = "search_file_contents", ["query"] = "secret" }, CancellationToken.None))["matches"]!.AsArray();

        Assert.All(entries, entry => Assert.Equal("link", (string?)entry!["type"]));
        Assert.All(entries, entry => Assert.Null(entry!["size"]));
        Assert.Empty(matches);
    }

    [Fact]
    public async Task Dangling_symlink_cannot_be_written_through()
    {
        var target = At("outside", "created.txt");
        File.CreateSymbolicLink(Files("dangling.txt"), target);

        var error = await Assert.ThrowsAsync<AgentGridException>(() => Run("write_file", "dangling.txt", "planted"));

        Assert.Equal("path", error.Field);
        Assert.False(File.Exists(target));
    }

    [Fact]
    public async Task Links_do_not_count_toward_the_tenant_file_cap()
    {
        // Room for its three folders (files, sqlite, staging) and one file: a link counted as an entry would leave none.
        var space = ToolData.Storage(At("capped"), o => o.MaxTenantFiles = 4).For("tenant");
        var sandbox = new FileSandbox(space, FileSandboxLimits.Default);
        Directory.CreateSymbolicLink(Path.Combine(space.FilesFolder, "dir"), At("outside"));

        var written = await sandbox.RunAsync(new JsonObject { ["operation"] = "write_file", ["path"] = "only.txt", ["content"] = "x" }, CancellationToken.None);

        Assert.Equal("only.txt", (string?)written["path"]);
    }
}
