using System.Net;
using System.Net.Sockets;
using System.Text;
using Switchboard.Requests;
using Switchboard.Tests.Infrastructure;

namespace Switchboard.Tests.Chat;

/// <summary>
/// Clients that announce a huge body and send almost none of it, against a gateway process of its own, whose
/// <c>GET /admin/runtime</c> counts only its own allocations. Before, the body buffer was sized from
/// <c>Content-Length</c>: 40 such connections took the heap from 140 MB to 1.3 GB.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class RequestBodyMemoryTests : IDisposable
{
    private const int Connections = 16;
    private const long Announced = 32 * 1024 * 1024;
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "switchboard-tests", Guid.NewGuid().ToString("n"));

    [Fact]
    public async Task Connections_announcing_32_MiB_and_sending_a_few_bytes_make_the_gateway_allocate_nothing_like_what_they_announced()
    {
        var port = GatewayProcess.FreePort();
        using var admin = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        admin.DefaultRequestHeaders.Authorization = new("Bearer", GatewayFactory.ManagementKey);
        var settings = GatewayFactory.DefaultSettings(await SharedSimulator.GetAsync(), useTestCatalog: true);
        settings["Switchboard:Database:DataDirectory"] = _dataDirectory;
        using var gateway = await GatewayProcess.StartAsync(port, admin, settings);
        var key = (await admin.CreateKeyAsync(new { name = "slow bodies" })).Key;
        using var client = new HttpClient { BaseAddress = admin.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", key);
        await AssertCompletesAsync(client); // the key, the account and the route are warm: what follows is the bodies
        var before = await AllocatedBytesAsync(admin);

        var sockets = new List<Socket>();
        try
        {
            for (var i = 0; i < Connections; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                sockets.Add(socket);
                await socket.ConnectAsync(IPAddress.Loopback, port);
                await socket.SendAsync(Encoding.ASCII.GetBytes(
                    $"POST /api/v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer {key}\r\n"
                    + $"Content-Type: application/json\r\nContent-Length: {Announced}\r\n\r\n{{\"model\":\"test/multi\",\"messages\":["));
            }
            // A request sent after them has been answered: the gateway has had every chance to start reading theirs.
            await AssertCompletesAsync(client);
            var after = await AllocatedBytesAsync(admin);

            var allocated = after - before;
            Assert.True(allocated < Connections * Announced / 8,
                $"{allocated / 1_048_576} MiB allocated while {Connections} connections announced {Announced / 1_048_576} MiB each");
        }
        finally
        {
            sockets.ForEach(s => s.Dispose());
        }
    }

    private static async Task AssertCompletesAsync(HttpClient client)
    {
        using var response = await client.PostChatAsync(ChatRequests.Body("test/multi"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<long> AllocatedBytesAsync(HttpClient admin) =>
        (await admin.GetObjectAsync("/api/v1/admin/runtime"))["allocated_bytes"]!.GetValue<long>();

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open only leaves a temp directory behind.
        }
    }
}
