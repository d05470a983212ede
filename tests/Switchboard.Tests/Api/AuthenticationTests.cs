using System.Net;
using System.Net.Http.Headers;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Api;

public sealed class AuthenticationTests : IAsyncLifetime
{
    private GatewayFactory _gateway = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _gateway = await GatewayFactory.StartAsync(new Dictionary<string, string?> { ["Switchboard:Auth:ApiKeys:0"] = "sk-sb-test-key" });
        _client = _gateway.CreateGatewayClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _gateway.DisposeAsync();
    }

    [Theory]
    [InlineData(null, "Missing API key")]
    [InlineData("Bearer sk-sb-wrong", "Invalid API key")]
    [InlineData("Basic c2stc2ItdGVzdC1rZXk=", "Missing API key")]
    public async Task Inference_without_a_valid_key_is_a_401(string? authorization, string expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/chat/completions") { Content = ChatRequests.Body("test/multi").ToContent() };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var error = (await response.JsonAsync())["error"]!;
        Assert.Equal(401, error["code"]!.GetValue<int>());
        Assert.Contains(expected, error["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Inference_with_a_configured_key_succeeds_and_the_catalog_stays_public()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = ChatRequests.Body("test/multi").ToContent() };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "sk-sb-test-key");

        using var response = await _client.SendAsync(request);
        using var models = await _client.GetAsync("/v1/models");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, models.StatusCode);
    }
}
