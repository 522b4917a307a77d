using System.Text.Json.Nodes;
using AgentGrid.Contracts.Errors;
using AgentGrid.Grains.Tools;
using AgentGrid.Grains.Tools.Builtins;
using AgentGrid.Tests.Infrastructure;

namespace AgentGrid.Tests.Tools.Builtins;

/// <summary>
/// Tool data is kept per tenant under one root that every silo shares, capped in bytes and in files (inodes) per tenant
/// and for the whole root; a write past a cap is refused with <c>tool_storage_full</c> and leaves nothing behind.
/// </summary>
public sealed class ToolStorageTests : IDisposable
{
    /// <summary>What every tenant's data holds before its first write: its files, sqlite and staging folders.</summary>
    private const int TenantFolders = 3;

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static Task<JsonObject> Write(TenantSpace space, string path, string content) =>
        new FileSandbox(space, FileSandboxLimits.Default).RunAsync(
            new JsonObject { ["operation"] = "write_file", ["path"] = path, ["content"] = content }, CancellationToken.None);

    private static Task<JsonObject> Files(TenantSpace space, string operation, string path) =>
        new FileSandbox(space, FileSandboxLimits.Default).RunAsync(new JsonObject { ["operation"] = operation, ["path"] = path }, CancellationToken.None);

    private static Task<JsonObject> Sql(TenantSpace space, string query, bool writable = true) =>
        new SqliteSandbox(space, writable, SqliteSandboxLimits.Default).RunAsync(new JsonObject { ["query"] = query }, CancellationToken.None);

    private static void AssertNothingStaged(TenantSpace space) =>
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(space.Folder, "staging")));

    [Fact]
    public async Task A_write_past_the_tenant_byte_cap_is_refused_and_leaves_the_old_content()
    {
        var space = ToolData.Storage(_temp.Path, o => o.MaxTenantBytes = 10).For("acme");
        await Write(space, "a.txt", "123456");

        var added = await Assert.ThrowsAsync<AgentGridException>(() => Write(space, "b.txt", "12345"));
        var grown = await Assert.ThrowsAsync<AgentGridException>(() => Write(space, "a.txt", "12345678901"));

        Assert.Equal(ErrorCodes.ToolStorageFull, added.Code);
        Assert.Equal(ErrorCodes.ToolStorageFull, grown.Code);
        Assert.Contains("tenant's tool data holds 6 of its 10", added.Message);
        Assert.False(File.Exists(Path.Combine(space.FilesFolder, "b.txt")));
        Assert.Equal("123456", File.ReadAllText(Path.Combine(space.FilesFolder, "a.txt")));
        AssertNothingStaged(space);
    }

    [Fact]
    public async Task Overwriting_within_the_byte_cap_and_deleting_make_room_again()
    {
        var space = ToolData.Storage(_temp.Path, o => o.MaxTenantBytes = 10).For("acme");
        await Write(space, "a.txt", "123456");
        await Write(space, "a.txt", "1234567890");
        await Assert.ThrowsAsync<AgentGridException>(() => Write(space, "b.txt", "1"));

        await Files(space, "delete_file", "a.txt");
        await Write(space, "b.txt", "1234567890");

        Assert.Equal("1234567890", File.ReadAllText(Path.Combine(space.FilesFolder, "b.txt")));
    }

    [Fact]
    public async Task A_write_past_the_tenant_file_cap_is_refused_but_overwriting_a_file_works()
    {
        var space = ToolData.Storage(_temp.Path, o => o.MaxTenantFiles = TenantFolders + 2).For("acme");
        await Write(space, "one.txt", "1");
        await Write(space, "two.txt", "2");

        var error = await Assert.ThrowsAsync<AgentGridException>(() => Write(space, "three.txt", "3"));
        await Write(space, "two.txt", "22");

        Assert.Equal(ErrorCodes.ToolStorageFull, error.Code);
        Assert.Contains("files or folders", error.Message);
        Assert.False(File.Exists(Path.Combine(space.FilesFolder, "three.txt")));
        Assert.Equal("22", File.ReadAllText(Path.Combine(space.FilesFolder, "two.txt")));
    }

    [Fact]
    public async Task Folders_a_write_would_make_count_toward_the_file_cap_and_none_is_made_when_it_is_refused()
    {
        // Room for two more entries; a/b/c.txt needs three (a, a/b and the file).
        var space = ToolData.Storage(_temp.Path, o => o.MaxTenantFiles = TenantFolders + 2).For("acme");

        var error = await Assert.ThrowsAsync<AgentGridException>(() => Write(space, "a/b/c.txt", "x"));
        await Write(space, "a/c.txt", "x");

        Assert.Equal(ErrorCodes.ToolStorageFull, error.Code);
        Assert.False(Directory.Exists(Path.Combine(space.FilesFolder, "a", "b")));
    }

    [Fact]
    public async Task A_write_past_the_whole_roots_byte_cap_is_refused_though_the_tenant_has_room()
    {
        var storage = ToolData.Storage(_temp.Path, o => (o.MaxTenantBytes, o.MaxTotalBytes) = (100, 10));
        await Write(storage.For("acme"), "a.txt", "12345678");

        var error = await Assert.ThrowsAsync<AgentGridException>(() => Write(storage.For("globex"), "b.txt", "12345"));

        Assert.Equal(ErrorCodes.ToolStorageFull, error.Code);
        Assert.Contains("grid's tool storage is full (8 of 10)", error.Message);
        Assert.False(File.Exists(Path.Combine(storage.For("globex").FilesFolder, "b.txt")));
        AssertNothingStaged(storage.For("globex"));
    }

    [Fact]
    public async Task A_write_past_the_whole_roots_file_cap_is_refused_though_the_tenant_has_room()
    {
        // Each tenant's folder and its three folders count toward the root: two tenants hold 8 before any file.
        var storage = ToolData.Storage(_temp.Path, o => (o.MaxTenantFiles, o.MaxTotalFiles) = (100, 2 * (TenantFolders + 1) + 1));
        storage.For("globex").Prepare();
        await Write(storage.For("acme"), "a.txt", "a");

        var error = await Assert.ThrowsAsync<AgentGridException>(() => Write(storage.For("globex"), "b.txt", "b"));

        Assert.Equal(ErrorCodes.ToolStorageFull, error.Code);
        Assert.Contains("grid's tool storage is full", error.Message);
        Assert.False(File.Exists(Path.Combine(storage.For("globex").FilesFolder, "b.txt")));
    }

    [Fact]
    public async Task One_tenant_cannot_see_another_tenants_files_or_database()
    {
        var storage = ToolData.Storage(_temp.Path);
        await Write(storage.For("acme"), "secret.txt", "acme only");
        await Sql(storage.For("acme"), "CREATE TABLE secrets (value TEXT)");

        var listed = await Files(storage.For("globex"), "list_directory", ".");
        var read = await Assert.ThrowsAsync<AgentGridException>(() => Files(storage.For("globex"), "read_file", "secret.txt"));
        var tables = await Sql(storage.For("globex"), "SELECT count(*) FROM sqlite_schema", writable: false);

        Assert.Empty(listed["entries"]!.AsArray());
        Assert.Equal(ErrorCodes.ToolFailed, read.Code);
        Assert.Equal("[[0]]", tables["rows"]!.ToJsonString());
        Assert.NotEqual(storage.For("acme").Folder, storage.For("globex").Folder);
    }

    [Fact]
    public void A_tenants_folders_are_open_to_the_silos_user_only()
    {
        var space = ToolData.Storage(_temp.Path).For("acme");

        space.Prepare();

        foreach (var folder in new[] { space.Folder, space.FilesFolder, Path.GetDirectoryName(space.DatabasePath)!, Path.Combine(space.Folder, "staging") })
        {
            Assert.True(OperatingSystem.IsLinux() && File.GetUnixFileMode(folder) == (UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute),
                $"{Path.GetRelativePath(_temp.Path, folder)} is mode 0700");
        }
    }

    [Fact]
    public async Task Two_silos_over_one_root_see_the_same_files_and_database()
    {
        var first = ToolData.Storage(_temp.Path).For("acme");
        var second = ToolData.Storage(_temp.Path).For("acme");
        await Write(first, "notes/today.md", "from the first silo");
        await Sql(first, "CREATE TABLE items (name TEXT)");
        await Sql(first, "INSERT INTO items VALUES ('from the first silo')");

        var read = await Files(second, "read_file", "notes/today.md");
        var rows = await Sql(second, "SELECT name FROM items", writable: false);
        await Files(second, "delete_file", "notes/today.md");
        var gone = await Assert.ThrowsAsync<AgentGridException>(() => Files(first, "read_file", "notes/today.md"));

        Assert.Equal("from the first silo", (string?)read["content"]);
        Assert.Equal("""[["from the first silo"]]""", rows["rows"]!.ToJsonString());
        Assert.Contains("No file", gone.Message);
    }

    [Fact]
    public async Task A_silo_counts_its_own_writes_and_sees_another_silos_writes_after_the_refresh()
    {
        var clock = new ManualClock();
        void Caps(ToolOptions o) => (o.MaxTenantBytes, o.TenantUsageRefresh) = (10, TimeSpan.FromSeconds(10));
        var first = ToolData.Storage(_temp.Path, Caps, clock).For("acme");
        var second = ToolData.Storage(_temp.Path, Caps, clock).For("acme");
        await Write(first, "first.txt", "1");
        await Write(second, "second.txt", "1234567");

        // Within the refresh the first silo trusts its own count (1 byte) rather than walking the folder on every write,
        // so this write passes though the folder now holds 8: the overshoot the refresh bounds.
        await Write(first, "again.txt", "123");
        clock.Advance(TimeSpan.FromSeconds(10));
        var error = await Assert.ThrowsAsync<AgentGridException>(() => Write(first, "late.txt", "1"));

        Assert.Equal(ErrorCodes.ToolStorageFull, error.Code);
        Assert.Contains("holds 11 of its 10", error.Message);
    }

    [Fact]
    public async Task Silos_that_count_before_every_write_share_one_tenant_cap_exactly()
    {
        void Caps(ToolOptions o) => (o.MaxTenantBytes, o.TenantUsageRefresh) = (10, TimeSpan.Zero);
        var first = ToolData.Storage(_temp.Path, Caps).For("acme");
        var second = ToolData.Storage(_temp.Path, Caps).For("acme");
        await Write(first, "first.txt", "123456");

        var error = await Assert.ThrowsAsync<AgentGridException>(() => Write(second, "second.txt", "12345"));

        Assert.Equal(ErrorCodes.ToolStorageFull, error.Code);
    }

    [Fact]
    public async Task A_database_cannot_grow_past_the_room_left_and_the_refused_statement_leaves_no_row()
    {
        var space = ToolData.Storage(_temp.Path, o => o.MaxTenantBytes = 64 * 1024).For("acme");
        await Sql(space, "CREATE TABLE blobs (data BLOB)");
        await Sql(space, "INSERT INTO blobs VALUES (zeroblob(20000))");

        var error = await Assert.ThrowsAsync<AgentGridException>(() => Sql(space, "INSERT INTO blobs VALUES (zeroblob(60000))"));
        var count = await Sql(space, "SELECT count(*) FROM blobs", writable: false);

        Assert.Equal(ErrorCodes.ToolStorageFull, error.Code);
        Assert.Equal("[[1]]", count["rows"]!.ToJsonString());
        Assert.True(new FileInfo(space.DatabasePath).Length <= 64 * 1024, $"The database grew to {new FileInfo(space.DatabasePath).Length} bytes.");
        Assert.False(File.Exists(space.DatabasePath + "-journal"));
    }

    [Fact]
    public async Task The_database_counts_toward_the_cap_files_share()
    {
        var space = ToolData.Storage(_temp.Path, o => o.MaxTenantBytes = 64 * 1024).For("acme");
        await Sql(space, "CREATE TABLE blobs (data BLOB)");
        await Sql(space, "INSERT INTO blobs VALUES (zeroblob(40000))");

        var error = await Assert.ThrowsAsync<AgentGridException>(() => Write(space, "big.txt", new string('x', 30_000)));

        Assert.Equal(ErrorCodes.ToolStorageFull, error.Code);
        Assert.False(File.Exists(Path.Combine(space.FilesFolder, "big.txt")));
    }

    [Fact]
    public async Task Files_fill_the_room_a_database_could_grow_into()
    {
        var space = ToolData.Storage(_temp.Path, o => o.MaxTenantBytes = 64 * 1024).For("acme");
        await Sql(space, "CREATE TABLE blobs (data BLOB)");
        await Write(space, "big.txt", new string('x', 50_000));

        var error = await Assert.ThrowsAsync<AgentGridException>(() => Sql(space, "INSERT INTO blobs VALUES (zeroblob(20000))"));

        Assert.Equal(ErrorCodes.ToolStorageFull, error.Code);
    }

    [Fact]
    public void Tool_storage_full_is_answered_as_507_insufficient_storage()
    {
        Assert.Equal(507, AgentGrid.FrontDoor.Errors.Problems.StatusFor(ErrorCodes.ToolStorageFull));
        Assert.Equal("tool_storage_full", ErrorCodes.ToolStorageFull);
    }

    [Fact]
    public void The_options_validator_lists_every_problem_at_once()
    {
        var result = new ToolOptionsValidator().Validate(null, new ToolOptions
        {
            DataRoot = "relative/tools", MaxTenantBytes = 1, MaxTenantFiles = 1, MaxTotalBytes = 0, MaxTotalFiles = 0,
            TenantUsageRefresh = TimeSpan.FromSeconds(-1), TotalUsageRefresh = TimeSpan.FromDays(2),
        });

        Assert.True(result.Failed);
        foreach (var setting in new[] { "DataRoot", "MaxTenantBytes", "MaxTenantFiles", "MaxTotalBytes", "MaxTotalFiles", "TenantUsageRefresh", "TotalUsageRefresh" })
        {
            Assert.Contains(result.Failures!, failure => failure.StartsWith($"AgentGrid:Tools:{setting} ", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void The_default_data_root_is_a_data_folder_not_the_temp_folder()
    {
        var root = new ToolOptions().DataRoot;

        Assert.True(new ToolOptionsValidator().Validate(null, new ToolOptions()).Succeeded);
        Assert.False(root.StartsWith(Path.GetTempPath(), StringComparison.Ordinal), root);
        Assert.EndsWith(Path.Combine("agentgrid", "tools"), root, StringComparison.Ordinal);
    }
}
