using System.Text.Json.Serialization.Metadata;
using Switchboard.Infrastructure;

namespace Switchboard.Api;

/// <summary><see cref="IResult"/>s for the API: JSON through the source-generated context, and <see cref="ApiError"/>s.</summary>
internal static class ApiResults
{
    public static IResult Error(ApiError error) => new ErrorResult(error);

    public static IResult Json<T>(T value, int statusCode = StatusCodes.Status200OK) =>
        TypedResults.Json(value, (JsonTypeInfo<T>)SwitchboardJsonContext.Api.GetTypeInfo(typeof(T))!, statusCode: statusCode);

    private sealed class ErrorResult(ApiError error) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) => ApiErrorWriter.WriteAsync(httpContext.Response, error);
    }
}
