using AgentGrid.Contracts;
using AgentGrid.Contracts.Agents;
using AgentGrid.Contracts.Errors;
using AgentGrid.Tests.Infrastructure;

namespace AgentGrid.Tests.Grains;

[Collection(GridClusterCollection.Name)]
public sealed class AgentGrainTests(GridClusterFixture fixture)
{
    private readonly Keys _keys = new();

    private IAgentGrain NewAgent() => fixture.Grains.GetGrain<IAgentGrain>(_keys.Agent());

    [Fact]
    public async Task Create_makes_version_1_with_the_default_model()
    {
        var agent = await NewAgent().CreateAsync(new AgentDefinition { Name = "  writer  ", SystemPrompt = "Write for {{audience}} about {{topic}}." });

        Assert.Equal(1, agent.Version);
        Assert.Equal("writer", agent.Name);
        Assert.Equal("simulator", agent.Model);
        Assert.Equal(["audience", "topic"], agent.Variables);
    }

    [Fact]
    public async Task Every_update_makes_a_new_version_and_keeps_the_old_ones()
    {
        var grain = NewAgent();
        await grain.CreateAsync(new AgentDefinition { Name = "a", SystemPrompt = "one" });
        await grain.UpdateAsync(new AgentDefinition { Name = "a", SystemPrompt = "two" });
        var current = await grain.UpdateAsync(new AgentDefinition { Name = "a", SystemPrompt = "three" });

        var versions = await grain.GetVersionsAsync();
        Assert.Equal(3, current.Version);
        Assert.Equal([1, 2, 3], versions.Select(v => v.Version));
        Assert.Equal(["one", "two", "three"], versions.Select(v => v.Definition.SystemPrompt));
    }

    [Fact]
    public async Task Rollback_restores_previous_system_prompt_as_a_new_version()
    {
        var grain = NewAgent();
        await grain.CreateAsync(new AgentDefinition { Name = "a", SystemPrompt = "good", Parameters = new() { Temperature = 0.2 } });
        await grain.UpdateAsync(new AgentDefinition { Name = "a", SystemPrompt = "bad", Parameters = new() { Temperature = 1.5 } });

        var rolledBack = await grain.RollbackAsync(1);

        Assert.Equal(3, rolledBack.Version);
        Assert.Equal("good", rolledBack.SystemPrompt);
        Assert.Equal(0.2, rolledBack.Parameters.Temperature);
        Assert.Equal(1, (await grain.GetVersionsAsync())[^1].RolledBackFrom);
        Assert.Equal("good", (await grain.GetAsync()).SystemPrompt);
    }

    [Fact]
    public async Task Rollback_to_a_missing_version_fails_with_agent_version_not_found()
    {
        var grain = NewAgent();
        await grain.CreateAsync(new AgentDefinition { Name = "a" });

        var error = await Assert.ThrowsAsync<AgentGridException>(() => grain.RollbackAsync(7));
        Assert.Equal(ErrorCodes.AgentVersionNotFound, error.Code);
    }

    [Fact]
    public async Task Names_are_unique_per_tenant_regardless_of_case_and_free_again_after_rename()
    {
        var first = NewAgent();
        await first.CreateAsync(new AgentDefinition { Name = "Support" });

        var clash = await Assert.ThrowsAsync<AgentGridException>(() => NewAgent().CreateAsync(new AgentDefinition { Name = "support" }));
        Assert.Equal(ErrorCodes.AgentNameConflict, clash.Code);

        await first.UpdateAsync(new AgentDefinition { Name = "Helpdesk" });
        var second = await NewAgent().CreateAsync(new AgentDefinition { Name = "Support" });
        Assert.Equal("Support", second.Name);

        var otherTenant = fixture.Grains.GetGrain<IAgentGrain>(new Keys().Agent());
        Assert.Equal("Support", (await otherTenant.CreateAsync(new AgentDefinition { Name = "Support" })).Name);
    }

    [Fact]
    public async Task The_tenant_index_lists_agents_by_name_with_their_current_version()
    {
        var b = NewAgent();
        await b.CreateAsync(new AgentDefinition { Name = "beta" });
        await b.UpdateAsync(new AgentDefinition { Name = "beta", Description = "second" });
        await NewAgent().CreateAsync(new AgentDefinition { Name = "alpha" });

        var listed = await fixture.Grains.GetGrain<IAgentIndexGrain>(_keys.Tenant).ListAsync();

        Assert.Equal(["alpha", "beta"], listed.Select(a => a.Name));
        Assert.Equal(2, listed[1].Version);
        Assert.Equal("second", listed[1].Description);
    }

    [Fact]
    public async Task Delete_removes_the_agent_from_the_index_and_frees_its_name()
    {
        var grain = NewAgent();
        await grain.CreateAsync(new AgentDefinition { Name = "temp" });

        await grain.DeleteAsync();

        var error = await Assert.ThrowsAsync<AgentGridException>(grain.GetAsync);
        Assert.Equal(ErrorCodes.AgentNotFound, error.Code);
        Assert.Empty(await fixture.Grains.GetGrain<IAgentIndexGrain>(_keys.Tenant).ListAsync());
        Assert.Equal("temp", (await NewAgent().CreateAsync(new AgentDefinition { Name = "temp" })).Name);
    }

    [Theory]
    [InlineData("", null, null, null, null, "name")]
    [InlineData("x", "nope", null, null, null, "model")]
    [InlineData("x", null, 2.5, null, null, "parameters.temperature")]
    [InlineData("x", null, -0.1, null, null, "parameters.temperature")]
    [InlineData("x", null, null, 0.0, null, "parameters.topP")]
    [InlineData("x", null, null, 1.1, null, "parameters.topP")]
    [InlineData("x", null, null, null, 0, "parameters.maxTokens")]
    public async Task Invalid_definitions_fail_with_validation_failed_naming_the_field(
        string name, string? model, double? temperature, double? topP, int? maxTokens, string field)
    {
        var definition = new AgentDefinition
        {
            Name = name,
            Model = model,
            Parameters = new() { Temperature = temperature, TopP = topP, MaxTokens = maxTokens },
        };

        var error = await Assert.ThrowsAsync<AgentGridException>(() => NewAgent().CreateAsync(definition));

        Assert.Equal(ErrorCodes.ValidationFailed, error.Code);
        Assert.Equal(field, error.Field);
    }

    [Fact]
    public async Task A_create_that_fails_validation_claims_no_name()
    {
        await Assert.ThrowsAsync<AgentGridException>(() =>
            NewAgent().CreateAsync(new AgentDefinition { Name = "keep", SystemPrompt = new string('x', Limits.MaxSystemPromptLength + 1) }));

        Assert.Equal("keep", (await NewAgent().CreateAsync(new AgentDefinition { Name = "keep" })).Name);
    }
}
