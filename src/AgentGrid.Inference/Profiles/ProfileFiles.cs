using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Profiles;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentGrid.Inference.Profiles;

/// <summary>
/// The profiles shipped as files on this silo, read once at start. A broken file stops the start with
/// every problem listed (file and field), rather than leaving a model silently missing.
/// </summary>
public sealed class ProfileFiles
{
    public ProfileFiles(IOptions<ProfileOptions> options, ILogger<ProfileFiles> logger)
    {
        var directory = options.Value.Directory;
        Profiles = Load(directory);
        logger.LogInformation("Loaded {Count} model profiles from {Directory}", Profiles.Count, directory);
    }

    public IReadOnlyList<ModelProfile> Profiles { get; }

    public ModelProfile? Find(string name) => Profiles.FirstOrDefault(p => p.Name == name);

    public static IReadOnlyList<ModelProfile> Load(string directory)
    {
        if (!System.IO.Directory.Exists(directory))
        {
            return [];
        }

        var profiles = new List<ModelProfile>();
        var problems = new List<string>();
        var files = System.IO.Directory.EnumerateFiles(directory, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var relative = Path.GetRelativePath(directory, file).Replace('\\', '/');
            try
            {
                profiles.Add(ProfileParser.Parse(File.ReadAllText(file), $"file:{relative}"));
            }
            catch (AgentGridException e)
            {
                problems.Add($"{relative}: {e.Field}: {e.Message}");
            }
        }

        foreach (var duplicate in profiles.GroupBy(p => p.Name).Where(g => g.Count() > 1))
        {
            problems.Add($"profile name '{duplicate.Key}' is used by {string.Join(" and ", duplicate.Select(p => p.Origin))}.");
        }

        return problems.Count > 0
            ? throw new InvalidOperationException($"Model profiles in {directory} are not valid:{Environment.NewLine}{string.Join(Environment.NewLine, problems)}")
            : profiles;
    }
}
