using System.Net;
using System.Text.Json.Nodes;
using Switchboard.Providers;
using Switchboard.Providers.Anthropic;
using Switchboard.Providers.Gemini;
using Switchboard.Providers.OpenAICompatible;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Providers;

/// <summary>Provider error text loses credentials and upstream account ids before a tenant, a record or a log sees it.</summary>
public sealed class ProviderErrorTextTests(GatewayFixture fixture) : GatewayTest(fixture)
{
    private const string OpenAIWrongKey = """
        {
            "error": {
                "message": "Incorrect API key provided: sk-proj-****************************************************abcd. You can find your API key at https://platform.openai.com/account/api-keys.",
                "type": "invalid_request_error",
                "param": null,
                "code": "invalid_api_key"
            }
        }
        """;

    private const string OpenAIRateLimit = """
        {"error":{"message":"Rate limit reached for gpt-4o in organization org-Zx8yQw7vUt6sR5pO4nM3lK2j on tokens per min (TPM): Limit 30000, Used 29876, Requested 1200. Please try again in 2.152s.","type":"tokens","param":null,"code":"rate_limit_exceeded"}}
        """;

    private const string AnthropicWrongKey = """
        {"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key: sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdEFGH-IJKLmnop_QRSTuvwxYZ-AA"},"request_id":"req_011CSHoEeqs5C35K2UUqR7Fy"}
        """;

    private const string GeminiWrongKey = """
        {
          "error": {
            "code": 400,
            "message": "API key not valid. Please pass a valid API key.",
            "status": "INVALID_ARGUMENT",
            "details": [
              {"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "API_KEY_INVALID", "domain": "googleapis.com",
               "metadata": {"service": "generativelanguage.googleapis.com", "key": "AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY"}}
            ]
          }
        }
        """;

    private const string GeminiDisabledProject = """
        {"error":{"code":403,"message":"Generative Language API has not been used in project 123456789012 before or it is disabled. Enable it by visiting https://console.developers.google.com/apis/api/generativelanguage.googleapis.com/overview?project=123456789012 then retry.","status":"PERMISSION_DENIED","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"SERVICE_DISABLED","metadata":{"consumer":"projects/123456789012","service":"generativelanguage.googleapis.com"}}]}}
        """;

    [Fact]
    public void OpenAI_401_loses_the_masked_key_and_keeps_the_explanation()
    {
        var failure = OpenAIErrors.FromResponse(401, System.Text.Encoding.UTF8.GetBytes(OpenAIWrongKey), null);

        Assert.Equal("Incorrect API key provided: [redacted]. You can find your API key at https://platform.openai.com/account/api-keys.", failure.Message);
        Assert.DoesNotContain("sk-", failure.Raw, StringComparison.Ordinal);
        Assert.DoesNotContain("abcd", failure.Raw, StringComparison.Ordinal);
        Assert.Contains("invalid_api_key", failure.Raw, StringComparison.Ordinal);
    }

    [Fact]
    public void OpenAI_429_loses_the_organisation()
    {
        var failure = OpenAIErrors.FromResponse(429, System.Text.Encoding.UTF8.GetBytes(OpenAIRateLimit), null);

        Assert.DoesNotContain("org-", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Zx8yQw7vUt6sR5pO4nM3lK2j", failure.Raw, StringComparison.Ordinal);
        Assert.StartsWith("Rate limit reached for gpt-4o in organization [redacted] on tokens per min", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Anthropic_401_loses_the_key()
    {
        var failure = AnthropicErrors.FromResponse(401, System.Text.Encoding.UTF8.GetBytes(AnthropicWrongKey), null);

        Assert.Equal("invalid x-api-key: [redacted]", failure.Message);
        Assert.DoesNotContain("sk-ant", failure.Raw, StringComparison.Ordinal);
        Assert.DoesNotContain("AbCdEfGh", failure.Raw, StringComparison.Ordinal);
        Assert.Contains("authentication_error", failure.Raw, StringComparison.Ordinal);
    }

    [Fact]
    public void Gemini_errors_lose_the_key_and_the_project()
    {
        var wrongKey = GeminiErrors.FromResponse(400, System.Text.Encoding.UTF8.GetBytes(GeminiWrongKey), null);
        var disabled = GeminiErrors.FromResponse(403, System.Text.Encoding.UTF8.GetBytes(GeminiDisabledProject), null);

        Assert.Equal("API key not valid. Please pass a valid API key.", wrongKey.Message);
        Assert.DoesNotContain("AIza", wrongKey.Raw, StringComparison.Ordinal);
        Assert.DoesNotContain("9tSrke72", wrongKey.Raw, StringComparison.Ordinal);
        Assert.Contains("API_KEY_INVALID", wrongKey.Raw, StringComparison.Ordinal);
        Assert.DoesNotContain("123456789012", disabled.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("123456789012", disabled.Raw, StringComparison.Ordinal);
        Assert.Contains("has not been used in project [redacted] before", disabled.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U failed", "eyJ")]
    [InlineData("GET https://proxy.example/v1beta/models/x:generateContent?key=not-a-real-key-123&alt=sse returned 502", "not-a-real-key-123")]
    [InlineData("upstream said: token 0123456789abcdef0123456789abcdef0123 is invalid", "0123456789abcdef0123456789abcdef")]
    [InlineData("key AKIAIOSFODNN7EXAMPLE has no access", "AKIAIOSFODNN7EXAMPLE")]
    [InlineData("project_id: my-proj-42 is suspended", "my-proj-42")]
    [InlineData("quota exceeded for proj_Ab12Cd34Ef56", "Ab12Cd34Ef56")]
    [InlineData("session aZ3kQ9xW7vB2nM5pL8rT4yU6iO1eH0gF expired", "aZ3kQ9xW7vB2nM5pL8rT4yU6iO1eH0gF")]
    public void Credentials_and_ids_in_any_text_are_removed(string text, string secret)
    {
        var redacted = ProviderErrorText.Redact(text);

        Assert.DoesNotContain(secret, redacted, StringComparison.Ordinal);
        Assert.Contains(ProviderErrorText.Redacted, redacted, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("The model `mistralai/Mixtral-8x7B-Instruct-v0.1` does not exist or you do not have access to it.")]
    [InlineData("This model's maximum context length is 128000 tokens. However, your messages resulted in 130412 tokens.")]
    [InlineData("Meta-Llama-3-70B-Instruct-Turbo is overloaded; the organization has too many requests.")]
    [InlineData("messages.1.content: user-provided tool results must follow a tool_use block")]
    public void Ordinary_error_text_is_left_as_it_is(string text) => Assert.Equal(text, ProviderErrorText.Redact(text));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_provider_401_reaches_the_client_without_the_key_it_names(bool stream)
    {
        var script = new JsonObject { ["status"] = 401, ["error_body"] = OpenAIWrongKey };
        var body = ChatRequests.Body("test/multi", script, stream);
        body["provider"] = new JsonObject { ["only"] = new JsonArray("alpha"), ["allow_fallbacks"] = false };

        using var response = await Fixture.Client.PostChatAsync(body);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.DoesNotContain("sk-proj", text, StringComparison.Ordinal);
        Assert.DoesNotContain("****abcd", text, StringComparison.Ordinal);
        var error = JsonNode.Parse(text)!["error"]!;
        Assert.Contains("Incorrect API key provided: [redacted]", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("invalid_api_key", error["metadata"]!["raw"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.All(error["metadata"]!["attempts"]!.AsArray(), a => Assert.DoesNotContain("sk-proj", a!.ToJsonString(), StringComparison.Ordinal));
    }
}
