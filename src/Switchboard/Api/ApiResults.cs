namespace Switchboard.Api;

/// <summary>An <see cref="IResult"/> for an <see cref="ApiError"/>, for endpoints that return results.</summary>
internal static class ApiResults
{
    public static IResult Error(ApiError error) => new ErrorResult(error);

    private sealed class ErrorResult(ApiError error) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) => ApiErrorWriter.WriteAsync(httpContext.Response, error);
    }
}
