using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Net.Http.Headers;

namespace Switchboard.Web;

/// <summary>
/// The web app's files, compiled into the gateway (<c>Web/assets</c>, embedded as <c>web/…</c>): nothing to build,
/// nothing fetched from elsewhere, the same files wherever the gateway runs. Each is served with an ETag, so a
/// browser revalidates cheaply and always gets the version of the gateway it talks to.
/// </summary>
internal sealed class WebAssets
{
    private const string Prefix = "web/";
    private readonly FrozenDictionary<string, Asset> _assets;

    public WebAssets()
    {
        var assembly = typeof(WebAssets).Assembly;
        var types = new FileExtensionContentTypeProvider();
        _assets = assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(Prefix, StringComparison.Ordinal))
            // Built on Windows, the names' folders are joined with '\'; the URLs always use '/'.
            .ToFrozenDictionary(name => name[Prefix.Length..].Replace('\\', '/'), name => Load(assembly, name, types), StringComparer.Ordinal);
    }

    public bool TryGet(string path, out Asset asset) => _assets.TryGetValue(path, out asset!);

    public static Task WriteAsync(HttpContext context, Asset asset)
    {
        var response = context.Response;
        response.Headers.ETag = asset.ETag;
        response.Headers.CacheControl = "no-cache";
        response.Headers.XContentTypeOptions = "nosniff";
        if (context.Request.Headers.IfNoneMatch == asset.ETag)
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }
        response.ContentType = asset.ContentType;
        response.ContentLength = asset.Content.Length;
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : response.Body.WriteAsync(asset.Content).AsTask();
    }

    private static Asset Load(Assembly assembly, string name, FileExtensionContentTypeProvider types)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        var content = new byte[stream.Length];
        stream.ReadExactly(content);
        var contentType = types.TryGetContentType(name, out var type) ? type : "application/octet-stream";
        if (contentType.StartsWith("text/", StringComparison.Ordinal) || contentType is "application/javascript" or "image/svg+xml" or "application/json")
        {
            contentType += "; charset=utf-8";
        }
        return new Asset(content, contentType, $"\"{Convert.ToHexStringLower(SHA256.HashData(content))[..16]}\"");
    }
}

internal sealed record Asset(byte[] Content, string ContentType, string ETag);
