namespace Switchboard.Api;

/// <summary>
/// Keeps every error answer in the error shape, whatever the path (the API, the web app's JSON, its pages and
/// assets): unknown routes (404), wrong methods (405), values that do not bind (<c>?charges=x</c>, 400), malformed
/// HTTP that reaches the application (a broken chunked body, 400; too large, 413) and, as a last resort, unexpected
/// exceptions (500, message masked). What Kestrel rejects before any middleware runs (a malformed request line,
/// 414, 431) it answers itself; docs/security.md says what remains.
/// One middleware rather than ASP.NET Core's exception handler and status code pages, whose per-request state
/// (two state machines and an items dictionary) was a twentieth of a proxied request's allocations.
/// </summary>
internal sealed partial class ApiErrorMiddleware(RequestDelegate next, ILogger<ApiErrorMiddleware> logger, Security.SecurityHeaders securityHeaders)
{
    public Task InvokeAsync(HttpContext context)
    {
        // While the request is in here, Kestrel's writes on the connection are the application's, not rejections.
        var connection = context.Features.Get<KestrelRejectionBodies.ConnectionRequests>();
        connection?.Enter();
        Task endpoint;
        try
        {
            endpoint = next(context);
        }
        catch (Exception ex)
        {
            endpoint = Task.FromException(ex);
        }
        if (!endpoint.IsCompletedSuccessfully)
        {
            return AwaitAsync(context, endpoint, connection);
        }
        var bare = WriteBareStatusAsync(context);
        if (connection is null)
        {
            return bare;
        }
        if (bare.IsCompleted)
        {
            connection.Exit();
            return bare;
        }
        return ExitAfterAsync(bare, connection);
    }

    private static async Task ExitAfterAsync(Task writing, KestrelRejectionBodies.ConnectionRequests connection)
    {
        try
        {
            await writing;
        }
        finally
        {
            connection.Exit();
        }
    }

    private async Task AwaitAsync(HttpContext context, Task endpoint, KestrelRejectionBodies.ConnectionRequests? connection)
    {
        try
        {
            try
            {
                await endpoint;
            }
            catch (Exception ex)
            {
                await HandleExceptionAsync(context, ex);
                return;
            }
            await WriteBareStatusAsync(context);
        }
        finally
        {
            connection?.Exit();
        }
    }

    /// <summary>A status set without a body (no route, wrong method, Kestrel's own 4xx) gets the error body.</summary>
    private static Task WriteBareStatusAsync(HttpContext context)
    {
        var response = context.Response;
        if (response.HasStarted || response.StatusCode is < 400 or >= 600 || response.ContentLength is not null
            || !string.IsNullOrEmpty(response.ContentType))
        {
            return Task.CompletedTask;
        }
        return ApiErrorWriter.WriteAsync(response, FromStatus(context));
    }

    private Task HandleExceptionAsync(HttpContext context, Exception exception)
    {
        if (exception is OperationCanceledException or IOException && context.RequestAborted.IsCancellationRequested)
        {
            // The client went away mid-request: nobody to answer.
            Log.RequestAborted(logger, context.Request.Method, context.Request.Path);
            if (!context.Response.HasStarted)
            {
                context.Response.StatusCode = StatusCodes.Status499ClientClosedRequest;
            }
            return Task.CompletedTask;
        }
        var malformed = Malformed(exception);
        if (malformed is not null)
        {
            Log.BadRequest(logger, malformed.StatusCode, malformed.Message);
        }
        else
        {
            Log.Unhandled(logger, context.Request.Method, context.Request.Path, context.TraceIdentifier, exception);
        }
        if (context.Response.HasStarted)
        {
            // Too late for an error body; rethrown, the server aborts the response so the client sees it broke.
            return Task.FromException(exception);
        }
        context.Response.Clear();
        securityHeaders.Apply(context); // Clear() took them too
        var error = malformed is not null
            // Kestrel's own (a subclass) is about the bytes; the base type comes from binding a parameter.
            ? new ApiError(malformed.StatusCode, malformed.GetType() == typeof(BadHttpRequestException) && malformed.InnerException is null
                ? $"Bad request: {malformed.Message}"
                : $"Malformed HTTP request: {malformed.Message}",
                new ErrorMetadata { ErrorType = "invalid_request" })
            : new ApiError(StatusCodes.Status500InternalServerError,
                $"Internal error in the gateway (request {context.TraceIdentifier}); the details are in its log.",
                new ErrorMetadata { ErrorType = "server" });
        return ApiErrorWriter.WriteAsync(context.Response, error);
    }

    /// <summary>
    /// The client's request could not be read as HTTP. Kestrel says so with <see cref="BadHttpRequestException"/>, except
    /// for a chunk size that overflows an <see cref="int"/>: that is a plain <see cref="IOException"/> around the
    /// <see cref="OverflowException"/>, which would otherwise be answered as the gateway's own failure.
    /// </summary>
    private static BadHttpRequestException? Malformed(Exception exception) => exception switch
    {
        BadHttpRequestException bad => bad,
        IOException { InnerException: OverflowException } overflow => new BadHttpRequestException(overflow.Message, StatusCodes.Status400BadRequest, overflow),
        _ => null,
    };

    private static ApiError FromStatus(HttpContext context) => context.Response.StatusCode switch
    {
        StatusCodes.Status404NotFound => ApiError.NotFound(IsApi(context.Request)
            ? $"No API route for {context.Request.Method} {context.Request.Path}."
            : $"Nothing at {context.Request.Method} {context.Request.Path}."),
        StatusCodes.Status405MethodNotAllowed => new ApiError(StatusCodes.Status405MethodNotAllowed,
            $"{context.Request.Method} is not allowed on {context.Request.Path}."),
        var status => new ApiError(status, $"HTTP {status}."),
    };

    private static bool IsApi(HttpRequest request) =>
        request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
        || request.Path.StartsWithSegments("/v1", StringComparison.OrdinalIgnoreCase);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "Unhandled exception in {Method} {Path} (request {RequestId}).")]
        public static partial void Unhandled(ILogger logger, string method, PathString path, string requestId, Exception exception);

        [LoggerMessage(2, LogLevel.Debug, "Malformed HTTP request ({Status}): {Message}")]
        public static partial void BadRequest(ILogger logger, int status, string message);

        [LoggerMessage(3, LogLevel.Debug, "{Method} {Path}: the client went away before the answer.")]
        public static partial void RequestAborted(ILogger logger, string method, PathString path);
    }
}
