namespace Switchboard.Api;

internal static class ApiErrorHandling
{
    /// <summary>Keeps every answer under the API prefixes in the error shape (<see cref="ApiErrorMiddleware"/>).</summary>
    public static WebApplication UseApiErrors(this WebApplication app)
    {
        app.UseMiddleware<ApiErrorMiddleware>();
        return app;
    }
}
