using Microsoft.AspNetCore.Diagnostics;

namespace Switchboard.Api;

/// <summary>
/// Keeps every answer under the API prefixes in the error shape: unknown routes (404), wrong methods (405),
/// malformed HTTP (Kestrel's 400/413) and, as a last resort, unexpected exceptions (500, message masked).
/// </summary>
internal static partial class ApiErrorHandling
{
    public static WebApplication UseApiErrors(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = HandleExceptionAsync, SuppressDiagnosticsCallback = _ => false });
        app.UseStatusCodePages(context => IsApi(context.HttpContext.Request)
            ? ApiErrorWriter.WriteAsync(context.HttpContext.Response, FromStatus(context.HttpContext))
            : Task.CompletedTask);
        return app;
    }

    private static Task HandleExceptionAsync(HttpContext context)
    {
        var exception = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        var error = exception is BadHttpRequestException bad
            ? new ApiError(bad.StatusCode, $"Malformed HTTP request: {bad.Message}")
            : new ApiError(StatusCodes.Status500InternalServerError, "Internal error in the gateway. The request id is in the logs.",
                new ErrorMetadata { ErrorType = "server" });
        return ApiErrorWriter.WriteAsync(context.Response, error);
    }

    private static ApiError FromStatus(HttpContext context) => context.Response.StatusCode switch
    {
        StatusCodes.Status404NotFound => ApiError.NotFound($"No API route for {context.Request.Method} {context.Request.Path}."),
        StatusCodes.Status405MethodNotAllowed => new ApiError(StatusCodes.Status405MethodNotAllowed,
            $"{context.Request.Method} is not allowed on {context.Request.Path}."),
        var status => new ApiError(status, $"HTTP {status}."),
    };

    private static bool IsApi(HttpRequest request) =>
        request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
        || request.Path.StartsWithSegments("/v1", StringComparison.OrdinalIgnoreCase);
}
