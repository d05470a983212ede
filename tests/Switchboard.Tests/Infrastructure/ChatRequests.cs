using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Switchboard.Tests.Infrastructure;

/// <summary>Builds chat request bodies. Each carries a unique <c>user</c> marker to find it in the simulator's log.</summary>
public static class ChatRequests
{
    public static JsonObject Body(string model, JsonObject? script = null, bool stream = false, string content = "Hello there")
    {
        var body = new JsonObject
        {
            ["model"] = model,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = content }),
            ["user"] = Guid.NewGuid().ToString("N"),
        };
        if (stream)
        {
            body["stream"] = true;
        }
        if (script is not null)
        {
            body["simulator"] = script;
        }
        return body;
    }

    public static string Marker(this JsonObject body) => body["user"]!.GetValue<string>();

    public static StringContent ToContent(this JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, new MediaTypeHeaderValue("application/json"));

    public static Task<HttpResponseMessage> PostChatAsync(this HttpClient client, JsonNode body, string path = "/api/v1/chat/completions") =>
        client.PostAsync(path, body.ToContent());

    /// <summary>Posts and returns as soon as headers arrive, for reading a stream as it flows.</summary>
    public static Task<HttpResponseMessage> PostStreamAsync(this HttpClient client, JsonNode body, CancellationToken cancellationToken = default, string path = "/api/v1/chat/completions")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = body.ToContent() };
        return client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    public static async Task<JsonObject> JsonAsync(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
}
