using System.Net;
using System.Net.Http.Headers;
using System.Text;
using AgentGrid.Tests.Infrastructure;

namespace AgentGrid.Tests.Identity;

/// <summary>Basic authentication is for the Orleans dashboard in a browser, and only there.</summary>
[Collection(FrontDoorCollection.Name)]
public sealed class BasicCredentialTests(FrontDoorFixture fixture)
{
    private async Task<HttpResponseMessage> GetWithBasicAsync(string path)
    {
        using var http = fixture.Grid.Client(null);
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"anyone:{fixture.Grid.AdminKey}")));
        var response = await http.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    [Fact]
    public async Task An_admin_key_sent_as_a_basic_password_counts_as_no_key_outside_the_dashboard()
    {
        foreach (var path in new[] { "/api/me", "/api/agents", "/metrics" })
        {
            var refused = await GetWithBasicAsync(path);

            var problem = await refused.ProblemAsync(401, "unauthenticated");
            Assert.Contains("An API key is required", problem.Value<string>("detail"));
            Assert.Equal("Bearer", refused.Headers.WwwAuthenticate.ToString());
        }
    }

    [Fact]
    public async Task An_admin_key_sent_as_a_basic_password_opens_the_dashboard()
    {
        var page = await GetWithBasicAsync("/dashboard/");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Orleans Dashboard", await page.Content.ReadAsStringAsync());
    }
}
