using AgentGrid.Contracts.Errors;
using AgentGrid.Contracts.Profiles;
using AgentGrid.FrontDoor.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace AgentGrid.FrontDoor.Profiles;

public static class ProfileEndpoints
{
    private static readonly string[] DocumentTypes = ["application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml", "application/json"];

    public static RouteGroupBuilder MapProfilesApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/profiles").WithTags("Model profiles").RequireAuthorization(Identity.Policies.Admin);
        api.MapGet("/", ListAsync).WithName("ListProfiles");
        api.MapGet("/{name}", GetAsync).WithName("GetProfile");
        api.MapDelete("/{name}", DeleteAsync).WithName("DeleteProfile");
        api.MapPost("/", CreateAsync).WithName("CreateProfile").Accepts<string>(false, "application/yaml", DocumentTypes[1..]);
        return api;
    }

    /// <summary>Profiles grouped by category; <c>category</c> keeps one group.</summary>
    public static async Task<Ok<IReadOnlyList<ProfileCategory>>> ListAsync(GridServices grid, string? category = null)
    {
        var profiles = await grid.Grains.GetGrain<IProfileRegistryGrain>(0).ListAsync();
        IReadOnlyList<ProfileCategory> groups = [.. profiles
            .Where(p => category is null || string.Equals(p.Category, category, StringComparison.OrdinalIgnoreCase))
            .GroupBy(p => p.Category)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new ProfileCategory(g.Key, [.. g]))];
        return TypedResults.Ok(groups);
    }

    public static async Task<Results<Ok<ModelProfile>, ProblemHttpResult>> GetAsync(string name, GridServices grid) =>
        await grid.Grains.GetGrain<IProfileRegistryGrain>(0).GetAsync(name) is { } profile
            ? TypedResults.Ok(profile)
            : Problems.Create(ErrorCodes.ProfileNotFound, $"Profile '{name}' does not exist.");

    public static async Task<NoContent> DeleteAsync(string name, GridServices grid)
    {
        await grid.Grains.GetGrain<IProfileRegistryGrain>(0).DeleteAsync(name);
        return TypedResults.NoContent();
    }

    /// <summary>A profile as YAML (<c>application/yaml</c>) or JSON, in the schema of the profile files.</summary>
    public static async Task<Results<Created<ModelProfile>, ProblemHttpResult>> CreateAsync(HttpRequest request, GridServices grid)
    {
        var type = request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (type is null || !DocumentTypes.Contains(type))
        {
            return Problems.Create(ErrorCodes.UnsupportedMediaType, $"Send the profile as {string.Join(" or ", DocumentTypes[0], DocumentTypes[^1])}.");
        }

        using var reader = new StreamReader(request.Body);
        var document = await reader.ReadToEndAsync(grid.Aborted);
        if (string.IsNullOrWhiteSpace(document))
        {
            return Problems.Create(ErrorCodes.ValidationFailed, "The request body must be a profile document.", "body");
        }

        var profile = await grid.Grains.GetGrain<IProfileRegistryGrain>(0).CreateAsync(document);
        return TypedResults.Created($"/api/profiles/{profile.Name}", profile);
    }
}
