using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Switchboard.Api;
using Switchboard.Configuration;

namespace Switchboard.Auth;

/// <summary>
/// Checks <c>Authorization: Bearer &lt;key&gt;</c> on endpoints marked <see cref="RequireInferenceKeyAttribute"/>
/// against the keys in <c>Switchboard:Auth:ApiKeys</c>. Only SHA-256 hashes of the keys are kept in memory.
/// With no keys configured the endpoints are open, which suits a gateway on localhost.
/// </summary>
internal sealed partial class InferenceKeyMiddleware
{
    private readonly RequestDelegate _next;
    private readonly FrozenSet<string> _keyHashes;

    public InferenceKeyMiddleware(RequestDelegate next, IOptions<SwitchboardOptions> options, ILogger<InferenceKeyMiddleware> logger)
    {
        _next = next;
        _keyHashes = options.Value.Auth.ApiKeys.Where(k => !string.IsNullOrWhiteSpace(k)).Select(Hash).ToFrozenSet(StringComparer.Ordinal);
        if (_keyHashes.Count == 0)
        {
            Log.InferenceOpen(logger);
        }
    }

    public Task InvokeAsync(HttpContext context)
    {
        if (_keyHashes.Count == 0 || context.GetEndpoint()?.Metadata.GetMetadata<RequireInferenceKeyAttribute>() is null)
        {
            return _next(context);
        }
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length <= 7)
        {
            return Reject(context, "Missing API key: send 'Authorization: Bearer <key>'.");
        }
        return _keyHashes.Contains(Hash(header[7..].Trim()))
            ? _next(context)
            : Reject(context, "Invalid API key.");
    }

    private static Task Reject(HttpContext context, string message) =>
        ApiErrorWriter.WriteAsync(context.Response, new ApiError(StatusCodes.Status401Unauthorized, message, new ErrorMetadata { ErrorType = "authentication" }));

    private static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "No API keys configured (Switchboard:Auth:ApiKeys): inference endpoints accept requests without a key.")]
        public static partial void InferenceOpen(ILogger logger);
    }
}
