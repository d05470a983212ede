using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Switchboard.Tests.Infrastructure;

/// <summary>
/// A webhook receiver on a loopback port (real Kestrel): records every post and answers with the statuses the
/// test queued (200 once the queue is empty). Tests await posts with <see cref="NextAsync"/>; nothing polls.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Channel<ReceivedPost> _posts = Channel.CreateUnbounded<ReceivedPost>();
    private readonly System.Collections.Concurrent.ConcurrentQueue<int> _statuses = new();
    private readonly System.Collections.Concurrent.ConcurrentQueue<ReceivedPost> _all = new();

    private WebhookReceiver(WebApplication app) => _app = app;

    public string Url { get; private set; } = null!;

    /// <summary>Every post received so far, in order.</summary>
    public IReadOnlyList<ReceivedPost> Received => [.. _all];

    public static async Task<WebhookReceiver> StartAsync(params int[] statuses)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        foreach (var status in statuses)
        {
            receiver._statuses.Enqueue(status);
        }
        app.MapPost("/hook", receiver.ReceiveAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        receiver.Url = $"{address}/hook?token=receiver-secret";
        return receiver;
    }

    /// <summary>Answers the next posts with these statuses, in order.</summary>
    public void Answer(params int[] statuses)
    {
        foreach (var status in statuses)
        {
            _statuses.Enqueue(status);
        }
    }

    /// <summary>The next post not yet taken, waiting for it up to <paramref name="timeout"/> (10 s by default).</summary>
    public async Task<ReceivedPost> NextAsync(TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        try
        {
            return await _posts.Reader.ReadAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No webhook post within {(timeout ?? TimeSpan.FromSeconds(10)).TotalSeconds} s; received so far: {_all.Count}.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task ReceiveAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var post = new ReceivedPost(
            body,
            JsonNode.Parse(body)!.AsObject(),
            context.Request.Headers["X-Switchboard-Signature"].ToString(),
            context.Request.Headers["X-Switchboard-Event"].ToString(),
            context.Request.ContentType,
            context.Request.QueryString.Value);
        _all.Enqueue(post);
        context.Response.StatusCode = _statuses.TryDequeue(out var status) ? status : StatusCodes.Status200OK;
        _posts.Writer.TryWrite(post);
    }
}

/// <summary>One post: the raw body (what the signature covers), parsed, and the headers that matter.</summary>
public sealed record ReceivedPost(string RawBody, JsonObject Body, string Signature, string Event, string? ContentType, string? Query)
{
    public long Id => Body["id"]!.GetValue<long>();

    public int Threshold => Body["threshold"]!.GetValue<int>();
}
