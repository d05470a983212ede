using System.Text.Json;
using Switchboard.Simulator.Hosting;

namespace Switchboard.Simulator.Recording;

/// <summary>
/// <c>/_simulator/requests</c>: the request log over HTTP, for when the simulator runs out of process
/// (benchmarks, manual runs) and <see cref="SimulatorServer.Requests"/> is out of reach.
/// </summary>
internal static class RequestLogEndpoints
{
    public static void Map(WebApplication app, SimulatorRequestLog log)
    {
        app.MapGet("/_simulator/requests", http => ResponseBodies.WriteJsonAsync(
            http.Response, StatusCodes.Status200OK, log.Snapshot(), WriteRequests, http.RequestAborted));

        app.MapDelete("/_simulator/requests", http =>
        {
            log.Clear();
            http.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        });
    }

    private static void WriteRequests(Utf8JsonWriter json, IReadOnlyList<SimulatedRequest> requests)
    {
        json.WriteStartArray();
        foreach (var request in requests)
        {
            json.WriteStartObject();
            json.WriteString("provider"u8, request.Provider);
            json.WriteString("path"u8, request.Path);
            json.WriteString("authorization"u8, request.Authorization);
            json.WriteStartObject("headers"u8);
            foreach (var (name, value) in request.Headers)
            {
                json.WriteString(name, value);
            }

            json.WriteEndObject();
            json.WriteString("body"u8, request.Body);
            json.WriteString("received_at"u8, request.ReceivedAt);
            json.WriteBoolean("completed"u8, request.Completion.IsCompleted);
            json.WriteBoolean("client_aborted"u8, request.ClientAborted);
            json.WriteNumber("events_sent"u8, request.EventsSent);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }
}
