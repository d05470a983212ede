using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Switchboard.Tests.Telemetry;

/// <summary>One OTLP export as received: its path (<c>/v1/metrics</c>, <c>/v1/traces</c>) and protobuf body.</summary>
public sealed record OtlpPost(string Path, string ContentType, byte[] Body)
{
    /// <summary>Whether the body holds <paramref name="bytes"/> anywhere: ids are raw bytes in protobuf, names UTF-8.</summary>
    public bool Contains(ReadOnlySpan<byte> bytes) => Body.AsSpan().IndexOf(bytes) >= 0;

    public bool Contains(string text) => Contains(System.Text.Encoding.UTF8.GetBytes(text));
}

/// <summary>
/// An OTLP/HTTP receiver on a loopback port (real Kestrel), standing in for a collector: answers every export with
/// 200 and an empty body, and lets a test await the first post that matches what it looks for.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<OtlpPost> _posts = new();
    private readonly ConcurrentQueue<(Func<OtlpPost, bool> Match, TaskCompletionSource<OtlpPost> Found)> _waiters = new();

    private OtlpReceiver(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = null!;

    public IReadOnlyList<OtlpPost> Received => [.. _posts];

    public static async Task<OtlpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new OtlpReceiver(app);
        app.MapPost("/v1/{signal}", receiver.ReceiveAsync);
        await app.StartAsync();
        receiver.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return receiver;
    }

    /// <summary>The first post (already received or still to come) that <paramref name="match"/> accepts, within <paramref name="timeout"/>.</summary>
    public async Task<OtlpPost> WaitForAsync(Func<OtlpPost, bool> match, TimeSpan timeout)
    {
        var found = new TaskCompletionSource<OtlpPost>(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiters.Enqueue((match, found));
        foreach (var post in _posts)
        {
            if (match(post))
            {
                found.TrySetResult(post);
            }
        }
        try
        {
            return await found.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"No matching OTLP post within {timeout}; received: {string.Join(", ", Received.Select(p => $"{p.Path} ({p.Body.Length} B)"))}");
        }
    }

    private async Task ReceiveAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        var post = new OtlpPost(context.Request.Path, context.Request.ContentType ?? "", body.ToArray());
        _posts.Enqueue(post);
        foreach (var (match, found) in _waiters)
        {
            if (!found.Task.IsCompleted && match(post))
            {
                found.TrySetResult(post);
            }
        }
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/x-protobuf";
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
